"""Optuna's TPESampler behind ask/tell over stdin/stdout (one JSON object a line), so that bench/tuning-bench.ts
compares it with Kiln's samplers on exactly the same objective functions, evaluated once, in TypeScript.

Requests:  {"op": "study", "seed": 3, "direction": "minimize", "space": {config form}}  -> {}
           {"op": "ask"}                                  -> {"number": 0, "params": {...}}
           {"op": "tell", "number": 0, "value": 1.5}      -> {}   (or "state": "pruned")
           {"op": "ask_overhead", "trials": 1000, "repeats": 41, "space": {...}} -> {"ms": [...]}
Needs `pip install optuna` (a venv under /tmp is fine); started by the TypeScript bench.
"""
import json
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def distribution(spec):
    if isinstance(spec, list):
        return optuna.distributions.CategoricalDistribution(spec)
    if spec["type"] == "float":
        return optuna.distributions.FloatDistribution(spec["low"], spec["high"], log=spec.get("log", False), step=spec.get("step"))
    return optuna.distributions.IntDistribution(spec["low"], spec["high"], log=spec.get("log", False), step=spec.get("step", 1))


def synthetic(params):
    """The ask-overhead objective of the TypeScript bench: sum of log(1 + |value|)."""
    return sum(math.log(1 + abs(float(v))) for v in params.values())


def main():
    study, space, trials = None, None, {}
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        if op == "study":
            study = optuna.create_study(direction=request["direction"], sampler=optuna.samplers.TPESampler(seed=request["seed"]))
            space = {name: distribution(spec) for name, spec in request["space"].items()}
            trials = {}
            reply = {}
        elif op == "ask":
            trial = study.ask(space)
            trials[trial.number] = trial
            reply = {"number": trial.number, "params": trial.params}
        elif op == "tell":
            trial = trials.pop(request["number"])
            if request.get("state") == "pruned":
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            else:
                study.tell(trial, request["value"])
            reply = {}
        elif op == "ask_overhead":
            bench_space = {name: distribution(spec) for name, spec in request["space"].items()}
            bench = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=1))
            for _ in range(request["trials"]):
                t = bench.ask(bench_space)
                bench.tell(t, synthetic(t.params))
            times = []
            for _ in range(request["repeats"]):
                start = time.perf_counter()
                t = bench.ask(bench_space)
                times.append((time.perf_counter() - start) * 1000)
                bench.tell(t, synthetic(t.params))
            reply = {"ms": times}
        else:
            raise ValueError(f"unknown op {op}")
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
