import assert from 'node:assert/strict';
import {
  contains, createNopPruner, createSampler, createStudy, paramProblems, parseSearchSpace, restoreStudy,
  type Params, type Sampler, type SearchSpace, type Study,
} from '../../models/tuning';

export interface SamplerContractOptions {
  /** The space to search; the grid sampler needs discrete parameters only. */
  space?: SearchSpace;
}

/** Continuous, log, stepped, integer and categorical parameters, with a condition. */
export const mixedSpace = parseSearchSpace({
  booster: ['gbtree', 'dart'],
  depth: { type: 'int', low: 1, high: 12 },
  eta: { type: 'float', low: 1e-3, high: 1, log: true },
  leaves: { type: 'int', low: 2, high: 256, log: true },
  rate_drop: { type: 'float', low: 0, high: 0.5, step: 0.05, when: { booster: 'dart' } },
  subsample: { type: 'float', low: 0.5, high: 1 },
  width: { type: 'int', low: 0, high: 100, step: 10 },
});

/** A toy objective over whatever numbers and choices the params hold, with some failed and pruned trials. */
export function objective(params: Params): number {
  let value = 0;
  for (const name of Object.keys(params).sort()) {
    const v = params[name];
    value += typeof v === 'number' ? (Math.log1p(Math.abs(v)) - 0.3) ** 2 : v === 'dart' ? 0.5 : 0;
  }
  return value;
}

export function runStudy(sampler: Sampler, space: SearchSpace, trials: number, study?: Study): Study {
  const s = study ?? createStudy({ name: 'contract', space, sampler, pruner: createNopPruner() });
  for (let i = 0; i < trials; i++) {
    const trial = s.ask();
    if (trial.number % 7 === 3) s.tell(trial.number, { state: 'FAIL' });
    else if (trial.number % 7 === 5) {
      s.report(trial.number, 0, objective(trial.params) + 1);
      s.tell(trial.number, { state: 'PRUNED' });
    } else s.tell(trial.number, { value: objective(trial.params) });
  }
  return s;
}

const paramsOf = (study: Study) => study.getTrials().map((t) => t.params);

/**
 * What every sampler must do (after Optuna's `optuna/testing/pytest_samplers.py` and `test_samplers.py`):
 * stay inside the space, respect conditions and enqueued values, and be reproducible from its seed, also
 * across a JSON round trip of the study.
 */
export function runSamplerContract(name: string, makeSampler: (seed: number) => Sampler, options: SamplerContractOptions = {}): void {
  const space = options.space ?? mixedSpace;
  const n = 30;

  describe(`Sampler contract: ${name}`, () => {
    it('proposes only values inside the space, with exactly the active parameters', () => {
      const study = runStudy(makeSampler(1), space, n);
      for (const trial of study.getTrials()) assert.deepEqual(paramProblems(space, trial.params), [], `trial ${trial.number}: ${JSON.stringify(trial.params)}`);
    });

    it('is reproducible: same seed, same trials (test_reproducible)', () => {
      assert.deepEqual(paramsOf(runStudy(makeSampler(7), space, n)), paramsOf(runStudy(makeSampler(7), space, n)));
    });

    it('depends on the seed: another seed, other trials', () => {
      assert.notDeepEqual(paramsOf(runStudy(makeSampler(7), space, n)), paramsOf(runStudy(makeSampler(8), space, n)));
    });

    it('round-trips its spec: createSampler(spec) samples the same', () => {
      const sampler = makeSampler(3);
      const rebuilt = createSampler(JSON.parse(JSON.stringify(sampler.spec)));
      assert.deepEqual(rebuilt.spec, sampler.spec);
      assert.deepEqual(paramsOf(runStudy(rebuilt, space, n)), paramsOf(runStudy(sampler, space, n)));
    });

    it('proposes the same next trials after the study goes through JSON (continue-as-new)', () => {
      const original = runStudy(makeSampler(5), space, 15);
      const restored = restoreStudy(JSON.parse(JSON.stringify(original.toJSON())));
      assert.deepEqual(paramsOf(runStudy(restored.sampler, space, 10, restored)), paramsOf(runStudy(original.sampler, space, 10, original)));
    });

    it('does not depend on the order trials were told in (parallel workers)', () => {
      const a = createStudy({ name: 'contract', space, sampler: makeSampler(2), pruner: createNopPruner() });
      const b = createStudy({ name: 'contract', space, sampler: makeSampler(2), pruner: createNopPruner() });
      for (const study of [a, b]) runStudy(study.sampler, space, 12, study);
      const asked = [a.ask(), a.ask()];
      const askedB = [b.ask(), b.ask()];
      a.tell(asked[0]!.number, { value: 1 });
      a.tell(asked[1]!.number, { value: 2 });
      b.tell(askedB[1]!.number, { value: 2 });
      b.tell(askedB[0]!.number, { value: 1 });
      assert.deepEqual(a.ask().params, b.ask().params);
    });

    it('keeps enqueued values and fills in the rest', () => {
      const study = runStudy(makeSampler(4), space, 12);
      const [first] = space.order;
      const fixedValue = study.getTrials()[0]!.params[first!]!;
      study.enqueue({ [first!]: fixedValue });
      const trial = study.ask();
      assert.equal(trial.params[first!], fixedValue);
      assert.deepEqual(paramProblems(space, trial.params), []);
    });

    it('copes with a single-valued parameter', () => {
      const single = parseSearchSpace({ a: { type: 'int', low: 3, high: 3 }, b: ['only'], c: { type: 'int', low: 0, high: 4, step: 2 } });
      const study = runStudy(makeSampler(1), single, 15);
      for (const trial of study.getTrials()) {
        assert.equal(trial.params.a, 3);
        assert.equal(trial.params.b, 'only');
        assert.ok(contains(single.params.c!.distribution, trial.params.c));
      }
    });
  });
}
