import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { KilnActivities } from '../activities';
import type { RunTrialInput } from '../activities/tuning';
import type { BoosterParams } from '../models/xgboost';
import { createPruner, createSampler, createStudy, parseSearchSpace, restoreStudy, type Direction, type JsonValue, type PrunerSpec, type StudySnapshot } from '../models/tuning';

export interface TuningStudyInput {
  studyName: string;
  /** The config's `tuning.space`, as written. */
  space: Record<string, JsonValue>;
  direction: Direction;
  sampler: { type: 'tpe' | 'random'; seed: number };
  /** How trials are pruned; `every` is how many boosting rounds lie between reports. */
  pruner: { spec: PrunerSpec; every: number };
  trials: number;
  parallelism: number;
  /** Stop after this many finished trials without a better value; 0 never stops early. */
  patience: number;
  /** Fixed parameters under the sampled ones. */
  baseParams: BoosterParams;
  trial: Omit<RunTrialInput, 'params'>;
  /** Set when the study continues as new: everything learnt so far. */
  carried?: { snapshot: StudySnapshot; roundsByTrial: Record<number, number> };
}

export interface TuningStudyResult {
  bestTrial: number;
  bestValue: number;
  bestParams: BoosterParams;
  /** Boosting rounds for the refit: the best trial's mean best round across folds. */
  bestRounds: number;
  completed: number;
  pruned: number;
  failed: number;
}

export interface StudyProgress {
  done: number;
  total: number;
  running: number;
  bestValue: number | null;
  bestParams: Record<string, unknown> | null;
  stopping: boolean;
}

export const studyProgressQuery = defineQuery<StudyProgress>('progress');
/** Launch no new trial; finish the running ones and return the best so far. */
export const stopStudySignal = defineSignal('stop');

// A trial is one cross-validated training: it heartbeats every boosting round, so a dead worker is
// noticed within a minute and the trial retried; a trial that keeps failing is told FAIL, never lost.
const { runTrial } = proxyActivities<KilnActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * Optuna-style search as a workflow: the seeded sampler runs here (deterministic, so replay proposes the
 * same trials), trials run as activities, up to `parallelism` at once, and the study continues as new
 * before its history grows too large.
 */
export async function tuningStudy(input: TuningStudyInput): Promise<TuningStudyResult> {
  const study = input.carried
    ? restoreStudy(input.carried.snapshot)
    : createStudy({
        name: input.studyName,
        space: parseSearchSpace(input.space, 'tuning.space'),
        direction: input.direction,
        // The constant liar keeps parallel trials from all proposing the same point.
        sampler: createSampler(input.sampler.type === 'tpe' ? { type: 'tpe', seed: input.sampler.seed, constantLiar: true } : input.sampler),
        pruner: createPruner(input.pruner.spec),
      });
  const roundsByTrial: Record<number, number> = { ...input.carried?.roundsByTrial };
  const running = new Set<number>();
  let stopping = false;
  let sinceImprovement = 0;
  let best = study.bestTrial()?.value ?? null;

  setHandler(stopStudySignal, () => void (stopping = true));
  setHandler(studyProgressQuery, () => {
    const top = study.bestTrial();
    return { done: study.getTrials(['COMPLETE', 'PRUNED', 'FAIL']).length, total: input.trials, running: running.size, bestValue: top?.value ?? null, bestParams: top?.params ?? null, stopping };
  });

  const launch = () => {
    const trial = study.ask();
    running.add(trial.number);
    const pruning = input.pruner.spec.type === 'none' ? undefined : { snapshot: study.toJSON(), trialNumber: trial.number, every: input.pruner.every };
    void runTrial({ ...input.trial, params: { ...input.baseParams, ...(trial.params as BoosterParams) }, pruning }).then(
      (result) => {
        for (const [step, value] of result.intermediate) study.report(trial.number, step, value);
        if (result.pruned) {
          study.tell(trial.number, { state: 'PRUNED' });
          sinceImprovement++;
          return;
        }
        study.tell(trial.number, { value: result.value });
        roundsByTrial[trial.number] = Math.round(result.bestRounds.reduce((sum, r) => sum + r, 0) / result.bestRounds.length);
        const improved = best === null || (input.direction === 'maximize' ? result.value > best : result.value < best);
        if (improved) best = result.value;
        sinceImprovement = improved ? 0 : sinceImprovement + 1;
      },
      () => study.tell(trial.number, { state: 'FAIL' }),
    ).finally(() => running.delete(trial.number));
  };

  const budgetLeft = () => !stopping && study.getTrials().length < input.trials && !(input.patience > 0 && sinceImprovement >= input.patience) && !study.isExhausted();
  while (true) {
    while (running.size < input.parallelism && budgetLeft()) launch();
    if (running.size === 0) break;
    const before = running.size;
    await condition(() => running.size < before);
    if (running.size === 0 && budgetLeft() && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof tuningStudy>({ ...input, carried: { snapshot: study.toJSON(), roundsByTrial } });
    }
  }

  const top = study.bestTrial();
  if (!top || top.value === null) throw new Error(`study ${input.studyName}: no trial completed`);
  return {
    bestTrial: top.number,
    bestValue: top.value,
    bestParams: { ...input.baseParams, ...(top.params as BoosterParams) },
    bestRounds: roundsByTrial[top.number]!,
    completed: study.getTrials(['COMPLETE']).length,
    pruned: study.getTrials(['PRUNED']).length,
    failed: study.getTrials(['FAIL']).length,
  };
}
