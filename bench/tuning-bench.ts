// Sampler quality and overhead: Branin and Hartmann-6, 20 seeds × 100 trials, TPE vs Random (and Optuna's
// TPE when `python3 -c 'import optuna'` works). Run: npx tsx bench/tuning-bench.ts
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  createNopPruner, createRandomSampler, createStudy, createTpeSampler, parseSearchSpace, type Params, type Sampler, type SearchSpace,
} from '../models/tuning';

interface Problem {
  name: string;
  optimum: number;
  space: SearchSpace;
  f: (p: Params) => number;
}

const branin: Problem = {
  name: 'Branin',
  optimum: 0.397887,
  space: parseSearchSpace({ x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } }),
  f: (p) => {
    const [x1, x2] = [p.x1 as number, p.x2 as number];
    const b = 5.1 / (4 * Math.PI ** 2);
    return (x2 - b * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
  },
};

const A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const P = [
  [1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));
const alpha = [1, 1.2, 3, 3.2];
const hartmann6: Problem = {
  name: 'Hartmann-6',
  optimum: -3.32237,
  space: parseSearchSpace(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, { type: 'float', low: 0, high: 1 }]))),
  f: (p) => -alpha.reduce((sum, a, i) => sum + a * Math.exp(-A[i]!.reduce((s, aij, j) => s + aij * ((p[`x${j}`] as number) - P[i]![j]!) ** 2, 0)), 0),
};

const SEEDS = Number(process.env.SEEDS ?? 20);
const TRIALS = 100;

function bestOf(problem: Problem, sampler: Sampler): number {
  const study = createStudy({ name: problem.name, space: problem.space, sampler, pruner: createNopPruner() });
  for (let i = 0; i < TRIALS; i++) {
    const trial = study.ask();
    study.tell(trial.number, { value: problem.f(trial.params) });
  }
  return study.bestTrial()!.value!;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const meanSd = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
};

function optunaResults(): Record<string, number[]> | string {
  const probe = spawnSync('python3', ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'Python optuna is not installed here (`python3 -c "import optuna"` fails); its column is left out.';
  const run = spawnSync('python3', [path.join(__dirname, 'tuning-bench.py'), String(SEEDS), String(TRIALS)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) return `optuna ${probe.stdout.trim()} is installed but its run failed: ${run.stderr.trim().split('\n').pop()}`;
  return JSON.parse(run.stdout) as Record<string, number[]>;
}

const samplers: Array<[string, (seed: number) => Sampler]> = [
  ['Random', (seed) => createRandomSampler({ seed })],
  ['TPE (Kiln)', (seed) => createTpeSampler({ seed })],
  ['TPE multivariate (Kiln)', (seed) => createTpeSampler({ seed, multivariate: true })],
];

const optuna = optunaResults();
const lines = [
  `### Best value after ${TRIALS} trials, ${SEEDS} seeds (minimisation; lower is better)`,
  '',
  '| function (optimum) | sampler | median best | mean ± sd | wins vs Random |',
  '| --- | --- | ---: | ---: | ---: |',
];
for (const problem of [branin, hartmann6]) {
  const results = new Map<string, number[]>();
  for (const [label, make] of samplers) results.set(label, Array.from({ length: SEEDS }, (_, seed) => bestOf(problem, make(seed))));
  if (typeof optuna !== 'string') results.set('TPE (Optuna)', optuna[problem.name]!);
  const random = results.get('Random')!;
  for (const [label, values] of results) {
    const wins = label === 'Random' ? '' : `${values.filter((v, i) => v < random[i]!).length}/${SEEDS}`;
    lines.push(`| ${problem.name} (${problem.optimum}) | ${label} | ${median(values).toFixed(4)} | ${meanSd(values)} | ${wins} |`);
  }
}
if (typeof optuna === 'string') lines.push('', optuna);

// ask() overhead once 1,000 trials are complete, on a 5-parameter XGBoost-like space.
const xgbSpace = parseSearchSpace({
  colsample_bytree: { type: 'float', low: 0.5, high: 1 },
  eta: { type: 'float', low: 0.01, high: 0.3, log: true },
  max_depth: { type: 'int', low: 2, high: 10 },
  min_child_weight: { type: 'int', low: 1, high: 64, log: true },
  subsample: { type: 'float', low: 0.5, high: 1, step: 0.05 },
});
const xgbObjective = (p: Params) => Object.values(p).reduce<number>((s, v) => s + Math.log(1 + Math.abs(Number(v))), 0);
lines.push('', '### `ask()` after 1,000 completed trials (5 parameters: float, log float, int, log int, stepped float)', '', '| sampler | median ms | p90 ms |', '| --- | ---: | ---: |');
for (const [label, sampler] of [['TPE', createTpeSampler({ seed: 1 })], ['TPE multivariate', createTpeSampler({ seed: 1, multivariate: true })], ['TPE multivariate + constant liar', createTpeSampler({ seed: 1, multivariate: true, constantLiar: true })]] as const) {
  const study = createStudy({ name: 'overhead', space: xgbSpace, sampler, pruner: createNopPruner() });
  for (let i = 0; i < 1000; i++) {
    const t = study.ask();
    study.tell(t.number, { value: xgbObjective(t.params) });
  }
  const times: number[] = [];
  for (let i = 0; i < 41; i++) {
    const start = performance.now();
    const t = study.ask();
    times.push(performance.now() - start);
    study.tell(t.number, { value: xgbObjective(t.params) });
  }
  times.sort((a, b) => a - b);
  lines.push(`| ${label} | ${median(times).toFixed(2)} | ${times[Math.floor(0.9 * times.length)]!.toFixed(2)} |`);
}
console.log(lines.join('\n'));
