import { ApplicationFailure, condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { KilnActivities } from '../activities';
import type { RunTrialInput, RunTrialResult } from '../activities/tuning';
import type { StudyHeader, StudyState } from '../db/study-rows';
import type { XGBoostParams } from '../models/xgboost';
import {
  budgetStop, createPruner, createSampler, createStudy, paramsWithin, parseSearchSpace, restoreStudy, searchSpaceToJSON, trialToJSON,
  type Direction, type JsonValue, type PrunerSpec, type StopReason, type Study, type StudySnapshot, type Trial,
} from '../models/tuning';

export interface TuningStudyInput {
  /** Unique in the database: a run started again with the same name resumes the stored study. */
  studyName: string;
  modelName: string;
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
  /**
   * Wall-time budget, e.g. "10m", from the study's start (continue-as-new included; a resumed study starts
   * afresh): no trial starts after it, running ones finish.
   */
  timeout?: string;
  /** Enqueue the best trials of the model's previous study first: true for its best 3, or how many. */
  warmStart?: boolean | number;
  /** How long a trial may go without a heartbeat before its worker counts as dead (default one minute). */
  trialHeartbeatTimeout?: string;
  /** Fixed parameters under the sampled ones. */
  baseParams: XGBoostParams;
  trial: Omit<RunTrialInput, 'params' | 'pruning'>;
  /** Set when the study continues as new: everything learnt so far. */
  carried?: { snapshot: StudySnapshot; sinceImprovement: number; revision: number; now: number | null; deadline: number | null };
}

export interface TuningStudyResult {
  bestTrial: number;
  bestValue: number;
  bestParams: XGBoostParams;
  /** Boosting rounds for the refit: the best trial's mean best round across folds. */
  bestRounds: number;
  completed: number;
  pruned: number;
  failed: number;
  stopReason: StopReason;
}

export interface StudyProgress {
  done: number;
  total: number;
  running: number;
  bestValue: number | null;
  bestParams: Record<string, unknown> | null;
  stopping: boolean;
  /** Why no further trial starts, once that is so. */
  stopReason: StopReason | null;
}

export const studyProgressQuery = defineQuery<StudyProgress>('progress');
/** Launch no new trial; finish the running ones and return the best so far. */
export const stopStudySignal = defineSignal('stop');

// A trial is one cross-validated training that heartbeats every boosting round: a dead worker is noticed
// within `trialHeartbeatTimeout` and the trial retried on another worker from its last heartbeat; a trial
// that keeps failing is told FAIL, never lost.
const trialOptions = {
  startToCloseTimeout: '2 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
} as const;
// The database mirror: short writes, retried without limit, so a database outage delays the mirror
// instead of failing the study.
const { openStudy, recordStudy } = proxyActivities<KilnActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const BEST_ROUNDS = 'best_rounds';
const WARM_START_TRIALS = 3;

/**
 * Optuna-style search as a workflow: the seeded sampler runs here (deterministic, so replay proposes the
 * same trials), trials run as activities, up to `parallelism` at once, within a budget of trials, wall time
 * and patience. Each change is mirrored in the database, in order, beside the trials rather than before
 * them (trials read it for pruning once they report; `kiln studies` shows it; a new run of the same study
 * name resumes it), and the study continues as new before its history grows too large.
 */
export async function tuningStudy(input: TuningStudyInput): Promise<TuningStudyResult> {
  // The study's clock is the latest time an activity reported (trials report when they finished): workflow
  // code keeps no clock of its own, and replay reads the same times from the history.
  let now: number | null = input.carried?.now ?? null;
  const clock = () => now;
  const { runTrial } = proxyActivities<KilnActivities>({ ...trialOptions, heartbeatTimeout: input.trialHeartbeatTimeout ?? '1 minute' });
  let stopRequested = false;
  // Answered from the first moment, also while the study is being opened.
  let progress = (): StudyProgress => ({ done: 0, total: input.trials, running: 0, bestValue: null, bestParams: null, stopping: stopRequested, stopReason: null });
  setHandler(stopStudySignal, () => void (stopRequested = true));
  setHandler(studyProgressQuery, () => progress());

  const opened = input.carried
    ? { study: restoreStudy(input.carried.snapshot, { clock }), revision: input.carried.revision, changed: [], deadline: input.carried.deadline }
    : await openOrResume(input, clock, (time) => (now = time));
  const { study } = opened;
  const budget = { trials: input.trials, patience: input.patience };
  const dirty = new Set<number>(opened.changed);
  const running = new Set<number>();
  let revision = opened.revision;
  let timedOut = false;
  let sinceImprovement = input.carried?.sinceImprovement ?? 0;
  let best = study.bestTrial()?.value ?? null;
  const stopReason = () => budgetStop(study, budget, { stopRequested, timedOut, sinceImprovement });
  progress = () => {
    const top = study.bestTrial();
    return {
      done: study.getTrials(['COMPLETE', 'PRUNED', 'FAIL']).length, total: input.trials, running: running.size,
      bestValue: top?.value ?? null, bestParams: top?.params ?? null, stopping: stopRequested, stopReason: stopReason(),
    };
  };

  // A durable timer: workflow time, so replay-safe, and carried across continue-as-new as the deadline.
  const { deadline } = opened;
  if (deadline !== null) void sleep(Math.max(deadline - workflowInfo().runStartTime.getTime(), 1)).then(() => (timedOut = true));

  // Writes run one after the other (a chain), so they land in revision order, while trials go on.
  let mirrored: Promise<void> = Promise.resolve();
  const mirror = (state: StudyState): Promise<void> => {
    const write = { header: headerOf(input, study, state), revision: ++revision, trials: [...dirty].sort((a, b) => a - b).map((number) => trialToJSON(study.getTrial(number))) };
    dirty.clear();
    mirrored = mirrored.then(() => recordStudy(write));
    // A write that fails for good (bad input) fails the study when it is awaited, not as an unhandled rejection.
    mirrored.catch(() => undefined);
    return mirrored;
  };

  const finish = (trial: Trial, result: RunTrialResult) => {
    now = result.finishedAt;
    for (const [step, value] of result.intermediate) study.report(trial.number, step, value);
    if (result.resumedFolds > 0) study.setTrialSystemAttr(trial.number, 'resumed_folds', result.resumedFolds);
    if (result.pruned) {
      study.tell(trial.number, { state: 'PRUNED' });
      sinceImprovement++;
      return;
    }
    study.setTrialSystemAttr(trial.number, BEST_ROUNDS, Math.round(result.bestRounds.reduce((sum, r) => sum + r, 0) / result.bestRounds.length));
    study.tell(trial.number, { value: result.value });
    const improved = best === null || (input.direction === 'maximize' ? result.value > best : result.value < best);
    if (improved) best = result.value;
    sinceImprovement = improved ? 0 : sinceImprovement + 1;
  };

  const launch = (trial: Trial) => {
    const pruning = input.pruner.spec.type === 'none' ? undefined : { studyName: study.name, trialNumber: trial.number, every: input.pruner.every };
    void runTrial({ ...input.trial, params: { ...input.baseParams, ...(trial.params as XGBoostParams) }, pruning })
      .then(
        (result) => finish(trial, result),
        (error: Error) => {
          study.setTrialSystemAttr(trial.number, 'fail_reason', error.cause instanceof Error ? error.cause.message : error.message);
          study.tell(trial.number, { state: 'FAIL' });
        },
      )
      .finally(() => {
        running.delete(trial.number);
        dirty.add(trial.number);
      });
  };

  while (true) {
    const started: Trial[] = [];
    while (running.size < input.parallelism && stopReason() === null) {
      const trial = study.ask();
      running.add(trial.number);
      dirty.add(trial.number);
      started.push(trial);
    }
    if (dirty.size > 0) void mirror('running');
    started.forEach(launch);
    if (running.size === 0) break;
    const before = running.size;
    await condition(() => running.size < before);
    if (running.size === 0 && stopReason() === null && workflowInfo().continueAsNewSuggested) {
      await mirror('running');
      await continueAsNew<typeof tuningStudy>({ ...input, carried: { snapshot: study.toJSON(), sinceImprovement, revision, now, deadline } });
    }
  }

  const reason = stopReason() ?? 'trials';
  study.setStudyAttr('stop_reason', reason);
  await mirror(reason === 'signal' ? 'stopped' : 'complete');
  const top = study.bestTrial();
  // An ApplicationFailure fails the workflow; any other error would only fail (and retry) its task forever.
  if (!top || top.value === null) throw ApplicationFailure.nonRetryable(`study ${input.studyName}: no trial completed`, 'NoTrialCompleted');
  return {
    bestTrial: top.number,
    bestValue: top.value,
    bestParams: { ...input.baseParams, ...(top.params as XGBoostParams) },
    bestRounds: top.systemAttrs[BEST_ROUNDS] as number,
    completed: study.getTrials(['COMPLETE']).length,
    pruned: study.getTrials(['PRUNED']).length,
    failed: study.getTrials(['FAIL']).length,
    stopReason: reason,
  };
}

/**
 * A new study (enqueueing the previous study's best trials for a warm start), or the one an earlier run
 * of the same name left in the database: its finished trials are kept, and trials it left RUNNING are
 * failed and enqueued again, so none is lost or counted twice.
 */
async function openOrResume(
  input: TuningStudyInput,
  clock: () => number | null,
  setNow: (time: number) => void,
): Promise<{ study: Study; revision: number; changed: number[]; deadline: number | null }> {
  const fresh = createStudy({
    name: input.studyName,
    space: parseSearchSpace(input.space, 'tuning.space'),
    direction: input.direction,
    // The constant liar keeps parallel trials from all proposing the same point.
    sampler: createSampler(input.sampler.type === 'tpe' ? { type: 'tpe', seed: input.sampler.seed, constantLiar: true } : input.sampler),
    pruner: createPruner(input.pruner.spec),
    clock,
  });
  const opened = await openStudy({ header: headerOf(input, fresh, 'running'), warmStart: input.warmStart === true ? WARM_START_TRIALS : input.warmStart || 0, timeout: input.timeout });
  setNow(opened.now);
  if (opened.resumed) {
    const study = restoreStudy(opened.resumed.snapshot, { clock });
    const changed: number[] = [];
    for (const abandoned of study.getTrials(['RUNNING'])) {
      study.setTrialSystemAttr(abandoned.number, 'fail_reason', 'abandoned by an earlier run of the study');
      study.tell(abandoned.number, { state: 'FAIL' });
      changed.push(abandoned.number, study.enqueue(abandoned.params)!.number);
    }
    return { study, revision: opened.resumed.revision, changed, deadline: opened.deadline };
  }
  const changed = (opened.warmStart?.params ?? [])
    .map((params) => paramsWithin(fresh.space, params))
    .filter((params) => Object.keys(params).length > 0)
    .map((params) => fresh.enqueue(params, { skipIfExists: true })?.number)
    .filter((number): number is number => number !== undefined);
  return { study: fresh, revision: 0, changed, deadline: opened.deadline };
}

function headerOf(input: TuningStudyInput, study: Study, state: StudyState): StudyHeader {
  return {
    name: study.name, modelName: input.modelName, workflowId: workflowInfo().workflowId, direction: study.direction,
    sampler: study.sampler.spec, pruner: study.pruner.spec, space: searchSpaceToJSON(study.space), attrs: { ...study.getStudyAttrs() }, state,
  };
}
