import { Context } from '@temporalio/activity';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { createStudyStore, type SaveStudyInput, type StudyHeader } from '../db';
import { restoreStudy, type Params, type Study, type StudySnapshot } from '../models/tuning';
import { trainInWorker, type EvalScores, type XGBoostParams } from '../models/xgboost';
import type { ActivityDependencies } from './dependencies';
import { createFeatureSets, type FeaturesReport } from './feature-sets';
import { withFailureMapping } from './failures';
import type { TrainModelInput } from './training';

/** The metrics a study can optimise, with XGBoost's name for each (used for early stopping). */
export const studyMetrics = { roc_auc: 'auc', pr_auc: 'aucpr', log_loss: 'logloss' } as const;
export type StudyMetric = keyof typeof studyMetrics;

/** A trial trains what trainModel trains, with CV and early stopping in place of a fixed round count. */
export interface RunTrialInput extends Omit<TrainModelInput, 'rounds' | 'threshold' | 'thresholdFolds'> {
  maxRounds: number;
  earlyStoppingRounds: number;
  folds: number;
  seed: number;
  metric: StudyMetric;
  /**
   * Prune on the study's pruner: the first fold's validation score is reported every `every` rounds and
   * judged against the other trials of the study as the database holds it at the first report (the
   * workflow mirrors it there), so the input stays small however long the study.
   */
  pruning?: { studyName: string; trialNumber: number; every: number };
}

export interface RunTrialResult {
  /** Mean of the folds' best validation scores; for a pruned trial, its last reported value. */
  value: number;
  /** True when the pruner stopped the trial; the remaining folds were not trained. */
  pruned: boolean;
  /** [step, value] pairs reported to the pruner (step = boosting round of the first fold). */
  intermediate: Array<[number, number]>;
  foldValues: number[];
  /** Boosting rounds that gave each fold's best score. */
  bestRounds: number[];
  /** Folds taken from an earlier attempt's last heartbeat instead of being trained again. */
  resumedFolds: number;
  /** When this attempt finished (ms, the worker's clock): the study's clock, which the workflow lacks. */
  finishedAt: number;
  /** Whether the folds' features were fitted or reused, and their time; absent from results recorded before features were reused. */
  features?: FeaturesReport;
}

/** What a trial heartbeats: where it is, and the folds it has finished (a retry starts after them). */
export interface TrialHeartbeat {
  fold: number;
  round: number;
  done: Pick<RunTrialResult, 'foldValues' | 'bestRounds' | 'intermediate'>;
}

export interface OpenStudyInput {
  /** The study as it starts (state running, no trials). */
  header: StudyHeader;
  /** How many best trials of the model's previous study to hand back for enqueueing (0: none). */
  warmStart: number;
  /** The study's wall-time budget (a Temporal duration like "10m"), turned into a deadline here. */
  timeout?: string;
}

export interface OpenStudyResult {
  /** The time now (ms, the worker's clock), for the study's first trials. */
  now: number;
  /** When the wall-time budget runs out (ms), or null without one. */
  deadline: number | null;
  /** Set when the database already holds this study (an earlier run of it stopped): resume from here. */
  resumed?: { snapshot: StudySnapshot; revision: number };
  /** For a new study: the parameters of the previous study's best trials, best first. */
  warmStart?: { study: string; params: Params[] };
}

export function createTuningActivities(deps: ActivityDependencies) {
  const studies = createStudyStore(deps.db);
  return withFailureMapping({
    /** Starts a study in the database, or finds the one an earlier run left there; idempotent. */
    async openStudy({ header, warmStart, timeout }: OpenStudyInput): Promise<OpenStudyResult> {
      const now = Date.now();
      // Temporal's own reading of durations (the config schema checked the form), so "10m" means here what it means to a timer.
      const times = { now, deadline: timeout === undefined ? null : now + msToNumber(timeout as Duration) };
      const existing = await studies.findStudy(header.name);
      if (existing) return { ...times, resumed: { snapshot: await studies.loadSnapshot(header.name), revision: existing.revision } };
      await studies.saveStudy({ header, revision: 0, trials: [] });
      const previous = warmStart > 0 ? await studies.bestTrialsOfPreviousStudy(header.modelName, { exclude: header.name, count: warmStart }) : undefined;
      return previous ? { ...times, warmStart: { study: previous.study, params: previous.trials.map((t) => t.params) } } : times;
    },

    /** Mirrors the workflow's study: upserts keyed by trial number, so retries and replays never duplicate. */
    async recordStudy(input: SaveStudyInput): Promise<void> {
      await studies.saveStudy(input);
    },

    /**
     * One trial: k-fold cross-validation on the training rows only (the holdout stays unseen), with the
     * feature pipeline fitted inside each fold and early stopping on the fold's validation rows.
     * Heartbeats every boosting round with the folds finished so far: a dead worker's trial is retried on
     * another worker from its last heartbeat, never lost. Deterministic, so a resumed trial returns what
     * an uninterrupted one would have.
     */
    async runTrial(input: RunTrialInput): Promise<RunTrialResult> {
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as TrialHeartbeat | undefined;
      const features = createFeatureSets(deps, input);
      const params: XGBoostParams = { ...input.params, eval_metric: studyMetrics[input.metric] };
      const foldValues = [...(resumed?.done.foldValues ?? [])];
      const bestRounds = [...(resumed?.done.bestRounds ?? [])];
      const intermediate = [...(resumed?.done.intermediate ?? [])];
      const resumedFolds = foldValues.length;
      const { pruning } = input;
      let study: Study | undefined;
      let pruned = false;
      // Only the first fold is judged (a trial resumed past it has nothing left to prune). The study is read
      // at the first report, once the workflow's mirror holds this trial: later reads would only be fresher.
      const judge = async (round: number, scores: EvalScores): Promise<boolean> => {
        if (!pruning || resumedFolds > 0 || (round + 1) % pruning.every !== 0) return false;
        const value = scores.valid?.[studyMetrics[input.metric]];
        if (value === undefined) return false;
        intermediate.push([round + 1, value]);
        if (!study) {
          const stored = restoreStudy(await studies.loadSnapshot(pruning.studyName));
          // Not there yet (the mirror is behind): judge at the next report.
          if (!stored.getTrials(['RUNNING']).some((trial) => trial.number === pruning.trialNumber)) return false;
          for (const [step, earlier] of intermediate) stored.report(pruning.trialNumber, step, earlier);
          study = stored;
        } else study.report(pruning.trialNumber, round + 1, value);
        pruned = study.shouldPrune(pruning.trialNumber);
        return pruned;
      };
      // Each fold's features are fitted on its training rows only (out-of-fold encodings and SMOTE never see
      // its validation rows), once: the other trials of the study, and later runs on the same data, reuse them.
      for (let index = resumedFolds; index < input.folds; index++) {
        const { set } = await features.fold({ folds: input.folds, seed: input.seed, index });
        const valid = { data: set.valid.data, rows: set.valid.rowIds.length, cols: set.train.cols, labels: set.valid.labels };
        const done = { foldValues: [...foldValues], bestRounds: [...bestRounds], intermediate: index === 0 ? [] : intermediate };
        const result = await trainInWorker({
          params: { ...set.boosterParams, ...params },
          dtrain: { ...set.train, featureNames: set.state.featureNames },
          evals: [['valid', valid]],
          rounds: input.maxRounds,
          earlyStoppingRounds: input.earlyStoppingRounds,
          onRound: (round, scores) => {
            context.heartbeat({ fold: index, round, done } satisfies TrialHeartbeat);
            return index === 0 ? judge(round, scores) : false;
          },
          signal: context.cancellationSignal,
        });
        if (pruned) return { value: intermediate.at(-1)![1], pruned, intermediate, foldValues, bestRounds, resumedFolds, finishedAt: Date.now(), features: features.report() };
        foldValues.push(result.bestScore ?? NaN);
        bestRounds.push(result.bestIteration + 1);
      }
      const value = foldValues.reduce((sum, v) => sum + v, 0) / foldValues.length;
      return { value, pruned, intermediate, foldValues, bestRounds, resumedFolds, finishedAt: Date.now(), features: features.report() };
    },
  });
}
