// Tuning benchmarks, each table with its baseline measured in the same run. Sections (all by default):
//   functions      Branin and Hartmann-6: Random, TPE, TPE multivariate (Kiln) and Optuna's TPE, seeds × trials
//   xgboost        5-parameter XGBoost CV objective on Telco: Random, TPE (Kiln), TPE (Optuna), seeds × xgb-trials
//   pruning        the same objective, TPE with the median pruner against TPE without: rounds trained, best value
//   ask            ask() after 1,000 completed trials, Kiln's samplers against Optuna's TPE
//   snapshot       what a pruned trial's input weighs with the study inline against a reference to the database
//   orchestration  a study of trivial trials on a dev server: scheduling overhead per trial against a bare loop
// Run: npx tsx bench/tuning-bench.ts [--sections a,b] [--seeds 20] [--trials 100] [--xgb-trials 50] [--orchestration-trials 50]
// Optuna runs in Python (bench/tuning-bench.py) on the same objective functions evaluated here; see tuning-bench.optuna.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectDatabase, createStudyStore, migrateToLatest } from '../db';
import {
  createMedianPruner, createNopPruner, createRandomSampler, createStudy, createTpeSampler, parseSearchSpace, restoreStudy,
  type JsonValue, type Params, type Pruner, type Sampler,
} from '../models/tuning';
import { measureOrchestration } from './tuning-bench.orchestration';
import { startOptuna, type OptunaPeer } from './tuning-bench.optuna';
import { telcoObjective, xgboostSpace, type TrialOutcome } from './tuning-bench.xgboost';

const { values: flags } = parseArgs({
  options: {
    sections: { type: 'string', default: 'functions,xgboost,pruning,ask,snapshot,orchestration' },
    seeds: { type: 'string', default: '20' },
    trials: { type: 'string', default: '100' },
    'xgb-trials': { type: 'string', default: '50' },
    'orchestration-trials': { type: 'string', default: '50' },
  },
});
const sections = new Set(flags.sections.split(','));
const SEEDS = Number(flags.seeds);
const TRIALS = Number(flags.trials);
const XGB_TRIALS = Number(flags['xgb-trials']);
const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

interface Problem {
  name: string;
  direction: 'minimize' | 'maximize';
  /** Known optimum, when there is one. */
  optimum?: number;
  space: Record<string, JsonValue>;
  f: (p: Params) => number;
}

const branin: Problem = {
  name: 'Branin', direction: 'minimize', optimum: 0.397887,
  space: { x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } },
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
  name: 'Hartmann-6', direction: 'minimize', optimum: -3.32237,
  space: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, { type: 'float', low: 0, high: 1 }])),
  f: (p) => -alpha.reduce((sum, a, i) => sum + a * Math.exp(-A[i]!.reduce((s, aij, j) => s + aij * ((p[`x${j}`] as number) - P[i]![j]!) ** 2, 0)), 0),
};

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sd = (values: number[]) => Math.sqrt(values.reduce((a, b) => a + (b - mean(values)) ** 2, 0) / Math.max(1, values.length - 1));
const meanSd = (values: number[]) => `${mean(values).toFixed(4)} ± ${sd(values).toFixed(4)}`;

/** Best value of one Kiln study of `trials` trials on `problem`. */
function kilnBest(problem: Problem, sampler: Sampler, trials: number, pruner: Pruner = createNopPruner(), evaluate?: (p: Params, trial: number) => number): number {
  const study = createStudy({ name: problem.name, space: parseSearchSpace(problem.space), direction: problem.direction, sampler, pruner });
  for (let i = 0; i < trials; i++) {
    const trial = study.ask();
    study.tell(trial.number, { value: (evaluate ?? problem.f)(trial.params, trial.number) });
  }
  return study.bestTrial()!.value!;
}

async function optunaBest(peer: OptunaPeer, problem: Problem, seed: number, trials: number): Promise<number> {
  await peer.study(seed, problem.direction, problem.space);
  let best = problem.direction === 'minimize' ? Infinity : -Infinity;
  for (let i = 0; i < trials; i++) {
    const { number, params } = await peer.ask();
    const value = problem.f(params);
    await peer.tell(number, { value });
    best = problem.direction === 'minimize' ? Math.min(best, value) : Math.max(best, value);
  }
  return best;
}

type Column = [label: string, run: (seed: number) => number | Promise<number>];

/** Rows of "median best, mean ± sd, wins vs Random" for each sampler on one problem. */
async function qualityRows(problem: Problem, columns: Column[], seeds: number): Promise<{ rows: string[]; results: Map<string, number[]> }> {
  const results = new Map<string, number[]>();
  for (const [label, run] of columns) {
    const values: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      values.push(await run(seed));
      log(`${problem.name} ${label} seed ${seed}: ${values.at(-1)!.toFixed(4)}`);
    }
    results.set(label, values);
  }
  const random = results.get('Random')!;
  const better = (a: number, b: number) => (problem.direction === 'minimize' ? a < b : a > b);
  const rows = [...results].map(([label, values]) => {
    const wins = label === 'Random' ? '' : `${values.filter((v, i) => better(v, random[i]!)).length}/${seeds}`;
    return `| ${problem.name}${problem.optimum === undefined ? '' : ` (${problem.optimum})`} | ${label} | ${median(values).toFixed(4)} | ${meanSd(values)} | ${wins} |`;
  });
  return { rows, results };
}

const qualityHeader = ['| function | sampler | median best | mean ± sd | wins vs Random |', '| --- | --- | ---: | ---: | ---: |'];

async function main(): Promise<void> {
  const lines: string[] = [];
  const needsOptuna = ['functions', 'xgboost', 'ask'].some((s) => sections.has(s));
  const optuna = needsOptuna ? startOptuna() : 'not needed';
  const optunaColumn = (problem: Problem, trials: number): Column[] => (typeof optuna === 'string' ? [] : [[`TPE (Optuna ${optuna.version})`, (seed) => optunaBest(optuna, problem, seed, trials)]]);

  if (sections.has('functions')) {
    lines.push(`### Best value after ${TRIALS} trials, ${SEEDS} seeds (minimisation; lower is better)`, '', ...qualityHeader);
    for (const problem of [branin, hartmann6]) {
      const { rows } = await qualityRows(problem, [
        ['Random', (seed) => kilnBest(problem, createRandomSampler({ seed }), TRIALS)],
        ['TPE (Kiln)', (seed) => kilnBest(problem, createTpeSampler({ seed }), TRIALS)],
        ['TPE multivariate (Kiln)', (seed) => kilnBest(problem, createTpeSampler({ seed, multivariate: true }), TRIALS)],
        ...optunaColumn(problem, TRIALS),
      ], SEEDS);
      lines.push(...rows);
    }
    lines.push('');
  }

  const needsTelco = sections.has('xgboost') || sections.has('pruning');
  const telco = needsTelco ? telcoObjective() : undefined;
  const rounds = new Map<string, number[]>();
  const telcoProblem = (label: string): Problem => ({
    name: 'Telco XGBoost CV ROC-AUC', direction: 'maximize', space: xgboostSpace,
    f: (params) => {
      const outcome = telco!.evaluate(params);
      rounds.set(label, [...(rounds.get(label) ?? []), outcome.rounds]);
      return outcome.value;
    },
  });
  let unpruned: number[] | undefined;
  if (sections.has('xgboost')) {
    lines.push(`### 5-parameter XGBoost objective on Telco (3-fold CV ROC-AUC, early stopping), ${XGB_TRIALS} trials, ${SEEDS} seeds (higher is better)`, '', ...qualityHeader);
    const { rows, results } = await qualityRows(telcoProblem('all'), [
      ['Random', (seed) => kilnBest(telcoProblem('Random'), createRandomSampler({ seed }), XGB_TRIALS)],
      ['TPE (Kiln)', (seed) => kilnBest(telcoProblem('TPE'), createTpeSampler({ seed }), XGB_TRIALS)],
      ...optunaColumn(telcoProblem('Optuna'), XGB_TRIALS),
    ], SEEDS);
    unpruned = results.get('TPE (Kiln)');
    lines.push(...rows, '');
  }
  if (typeof optuna !== 'string' && !sections.has('ask')) optuna.close();

  if (sections.has('pruning')) {
    if (!unpruned) {
      unpruned = [];
      for (let seed = 0; seed < SEEDS; seed++) {
        unpruned.push(kilnBest(telcoProblem('TPE'), createTpeSampler({ seed }), XGB_TRIALS));
        log(`unpruned seed ${seed}: best ${unpruned.at(-1)!.toFixed(4)}, ${rounds.get('TPE')!.slice(-XGB_TRIALS).reduce((a, b) => a + b, 0)} rounds`);
      }
    }
    const pruned: number[] = [];
    const prunedRounds: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const study = createStudy({
        name: 'pruning', space: parseSearchSpace(xgboostSpace), direction: 'maximize', sampler: createTpeSampler({ seed }),
        pruner: createMedianPruner({ nStartupTrials: 5, nWarmupSteps: 10, intervalSteps: 1 }),
      });
      let total = 0;
      for (let i = 0; i < XGB_TRIALS; i++) {
        const trial = study.ask();
        const outcome: TrialOutcome = telco!.evaluate(trial.params, {
          every: 5,
          report: (step, value) => (study.report(trial.number, step, value), study.shouldPrune(trial.number)),
        });
        total += outcome.rounds;
        study.tell(trial.number, outcome.pruned ? { state: 'PRUNED' } : { value: outcome.value });
      }
      pruned.push(study.bestTrial()!.value!);
      prunedRounds.push(total);
      log(`pruning seed ${seed}: best ${pruned.at(-1)!.toFixed(4)}, ${total} rounds, ${study.getTrials(['PRUNED']).length} pruned`);
    }
    const tpeRounds = rounds.get('TPE')!;
    const perSeed = (all: number[]) => Array.from({ length: SEEDS }, (_, seed) => all.slice(seed * XGB_TRIALS, (seed + 1) * XGB_TRIALS).reduce((a, b) => a + b, 0));
    const unprunedRounds = perSeed(tpeRounds);
    const saved = 1 - mean(prunedRounds) / mean(unprunedRounds);
    lines.push(
      `### Pruning on the Telco objective: TPE, ${XGB_TRIALS} trials, ${SEEDS} seeds; median pruner (5 startup trials, 10 warm-up rounds, first fold judged every 5 rounds)`,
      '',
      '| study | boosting rounds per study (mean) | median best | mean ± sd |',
      '| --- | ---: | ---: | ---: |',
      `| without pruning | ${mean(unprunedRounds).toFixed(0)} | ${median(unpruned).toFixed(4)} | ${meanSd(unpruned)} |`,
      `| median pruner | ${mean(prunedRounds).toFixed(0)} | ${median(pruned).toFixed(4)} | ${meanSd(pruned)} |`,
      '',
      `Rounds saved: ${(saved * 100).toFixed(1)}%; mean best ${mean(pruned) >= mean(unpruned) - sd(unpruned) ? 'within' : 'NOT within'} one sd of the unpruned study's (${(mean(pruned) - mean(unpruned)).toFixed(4)}).`,
      '',
    );
  }

  if (sections.has('ask')) {
    // A 5-parameter XGBoost-like space: float, log float, int, log int, stepped float.
    const space = {
      colsample_bytree: { type: 'float', low: 0.5, high: 1 },
      eta: { type: 'float', low: 0.01, high: 0.3, log: true },
      max_depth: { type: 'int', low: 2, high: 10 },
      min_child_weight: { type: 'int', low: 1, high: 64, log: true },
      subsample: { type: 'float', low: 0.5, high: 1, step: 0.05 },
    };
    const objective = (p: Params) => Object.values(p).reduce<number>((s, v) => s + Math.log(1 + Math.abs(Number(v))), 0);
    lines.push('### `ask()` after 1,000 completed trials (5 parameters: float, log float, int, log int, stepped float)', '', '| sampler | median ms | p90 ms |', '| --- | ---: | ---: |');
    const row = (label: string, times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      lines.push(`| ${label} | ${median(sorted).toFixed(2)} | ${sorted[Math.floor(0.9 * sorted.length)]!.toFixed(2)} |`);
    };
    for (const [label, sampler] of [['TPE (Kiln)', createTpeSampler({ seed: 1 })], ['TPE multivariate (Kiln)', createTpeSampler({ seed: 1, multivariate: true })], ['TPE multivariate + constant liar (Kiln)', createTpeSampler({ seed: 1, multivariate: true, constantLiar: true })]] as const) {
      const study = createStudy({ name: 'overhead', space: parseSearchSpace(space), sampler, pruner: createNopPruner() });
      for (let i = 0; i < 1000; i++) {
        const t = study.ask();
        study.tell(t.number, { value: objective(t.params) });
      }
      const times: number[] = [];
      for (let i = 0; i < 41; i++) {
        const start = performance.now();
        const t = study.ask();
        times.push(performance.now() - start);
        study.tell(t.number, { value: objective(t.params) });
      }
      row(label, times);
    }
    if (typeof optuna !== 'string') {
      row(`TPE (Optuna ${optuna.version}, in Python)`, await optuna.askOverhead(space, 1000, 41));
      optuna.close();
    }
    lines.push('');
  }
  if (typeof optuna === 'string' && needsOptuna) lines.push(optuna, '');

  if (sections.has('snapshot')) lines.push(...(await snapshotTable()), '');

  if (sections.has('orchestration')) {
    const trials = Number(flags['orchestration-trials']);
    log(`orchestration: ${trials} trivial trials on a dev server`);
    const result = await measureOrchestration(trials);
    lines.push(
      `### Orchestration: a ${trials}-trial study of trivial trials on the dev server (parallelism 1, SQLite mirror)`,
      '',
      '| workflow | median ms from a trial\'s completion to the next one\'s scheduling | p90 | wall ms per trial |',
      '| --- | ---: | ---: | ---: |',
      `| tuningStudy (sampler + database mirror + workflow task) | ${median(result.studyGaps).toFixed(1)} | ${[...result.studyGaps].sort((a, b) => a - b)[Math.floor(0.9 * result.studyGaps.length)]!.toFixed(1)} | ${result.studyMsPerTrial.toFixed(1)} |`,
      `| bare loop of the same activity (Temporal alone) | ${median(result.bareGaps).toFixed(1)} | ${[...result.bareGaps].sort((a, b) => a - b)[Math.floor(0.9 * result.bareGaps.length)]!.toFixed(1)} | ${result.bareMsPerTrial.toFixed(1)} |`,
      '',
      `Scheduling overhead Kiln adds per trial: ${(median(result.studyGaps) - median(result.bareGaps)).toFixed(1)} ms (median).`,
      '',
    );
  }
  console.log(lines.join('\n'));
}

/**
 * What pruning costs a trial's input: the study inline (as before) against a reference the activity reads
 * from the database. Studies of n trials with 30 intermediate values each; history bytes summed over the
 * study's trials (inline grows with the square of n).
 */
async function snapshotTable(): Promise<string[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-snapshot-'));
  const db = connectDatabase(`sqlite:${path.join(tmp, 'kiln.sqlite')}`);
  await migrateToLatest(db);
  const studies = createStudyStore(db);
  const lines = [
    '### Pruning input per trial: the study inline in the activity input (before) against a reference read from the database (now)',
    '',
    '| trials in the study | inline input bytes | reference input bytes | history bytes, whole study: inline | reference | inline: restore ms | database: load + restore ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  try {
    for (const n of [100, 1000, 3000]) {
      const name = `bench/snapshot-${n}`;
      const study = createStudy({ name, space: parseSearchSpace(xgboostSpace), direction: 'maximize', sampler: createRandomSampler({ seed: 1 }), pruner: createMedianPruner({}) });
      for (let i = 0; i < n; i++) {
        const t = study.ask();
        for (let step = 5; step <= 150; step += 5) study.report(t.number, step, 0.7 + 0.1 * Math.random());
        study.tell(t.number, { value: 0.8 + 0.05 * Math.random() });
      }
      const snapshot = study.toJSON();
      const { sampler, pruner, space, store } = snapshot;
      await studies.saveStudy({ header: { name, modelName: 'bench', workflowId: 'bench', direction: 'maximize', sampler, pruner, space, attrs: {}, state: 'running' }, revision: 1, trials: store.trials });
      const inline = JSON.stringify({ pruning: { snapshot, trialNumber: n, every: 5 } }).length;
      const reference = JSON.stringify({ pruning: { studyName: name, trialNumber: n, every: 5 } }).length;
      // Summed over a study growing from 0 to n trials: each trial carried the study as it was.
      const historyInline = Math.round((inline * (n + 1)) / 2);
      const timeMs = async (work: () => unknown) => {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const start = performance.now();
          await work();
          times.push(performance.now() - start);
        }
        return median(times);
      };
      const restoreInline = await timeMs(() => restoreStudy(JSON.parse(JSON.stringify(snapshot))));
      const loadFromDb = await timeMs(async () => restoreStudy(await studies.loadSnapshot(name)));
      lines.push(`| ${n} | ${inline.toLocaleString('en')} | ${reference} | ${historyInline.toLocaleString('en')} | ${(reference * n).toLocaleString('en')} | ${restoreInline.toFixed(1)} | ${loadFromDb.toFixed(1)} |`);
      log(`snapshot ${n}: inline ${inline} bytes`);
    }
  } finally {
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return lines;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
