import { Context } from '@temporalio/activity';
import { stratifiedKFold } from '../models/cross-validation';
import { fitTrainingFeatures } from '../models/features/feature-pipeline';
import type { TrainTestSplit } from '../models/split';
import { restoreStudy, type StudySnapshot } from '../models/tuning';
import { trainInWorker, type BoosterParams, type EvalScores } from '../models/xgboost';
import type { ActivityDependencies } from './dependencies';
import { featureOptions, type TrainModelInput } from './training';
import { withFailureMapping } from './failures';
import { featureInputs, loadLabelledData, type TargetSpec } from './labelled-data';

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
   * judged against the other trials in `snapshot` (the study as it was when this trial started).
   */
  pruning?: { snapshot: StudySnapshot; trialNumber: number; every: number };
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
}

export function createTuningActivities(deps: ActivityDependencies) {
  return withFailureMapping({
    /**
     * One trial: k-fold cross-validation on the training rows only (the holdout stays unseen), with the
     * feature pipeline fitted inside each fold and early stopping on the fold's validation rows.
     * Heartbeats every boosting round, so a dead worker's trial is retried, never lost.
     */
    async runTrial(input: RunTrialInput): Promise<RunTrialResult> {
      const context = Context.current();
      const { records, labels, columns } = await loadLabelledData(deps, input.datasetId, input.target);
      const { train } = deps.artifacts.getJson<TrainTestSplit>(input.splitKey);
      const inputs = featureInputs(columns, input.target, input.exclude);
      const targetLabels = { column: input.target.column, positive: input.target.positive, negative: '' };
      const params: BoosterParams = { ...input.params, eval_metric: studyMetrics[input.metric] };
      const foldValues: number[] = [];
      const bestRounds: number[] = [];
      const intermediate: Array<[number, number]> = [];
      const { pruning } = input;
      const study = pruning ? restoreStudy(pruning.snapshot) : undefined;
      let pruned = false;
      const judge = (round: number, scores: EvalScores): boolean => {
        if (!study || !pruning || (round + 1) % pruning.every !== 0) return false;
        const value = scores.valid?.[studyMetrics[input.metric]];
        if (value === undefined) return false;
        intermediate.push([round + 1, value]);
        study.report(pruning.trialNumber, round + 1, value);
        pruned = study.shouldPrune(pruning.trialNumber);
        return pruned;
      };
      const folds = stratifiedKFold(train, labels, input.folds, input.seed);
      for (const [index, fold] of folds.entries()) {
        // Fitted on the fold's training rows only: out-of-fold encodings and SMOTE never see the validation rows.
        const fitted = fitTrainingFeatures(fold.train.map((row) => records[row]!), inputs, targetLabels, featureOptions(input));
        const valid = {
          data: fitted.pipeline.transform(fold.valid.map((row) => records[row]!)),
          rows: fold.valid.length,
          cols: fitted.pipeline.featureCount,
          labels: Float32Array.from(fold.valid, (row) => labels[row]!),
        };
        const result = await trainInWorker({
          params: { ...fitted.boosterParams, ...params },
          dtrain: fitted.matrix,
          evals: [['valid', valid]],
          rounds: input.maxRounds,
          earlyStoppingRounds: input.earlyStoppingRounds,
          onRound: (round, scores) => {
            context.heartbeat({ fold: index, round });
            return index === 0 && judge(round, scores);
          },
          signal: context.cancellationSignal,
        });
        if (pruned) return { value: intermediate.at(-1)![1], pruned, intermediate, foldValues, bestRounds };
        foldValues.push(result.bestScore ?? NaN);
        bestRounds.push(result.bestIteration + 1);
      }
      return { value: foldValues.reduce((sum, v) => sum + v, 0) / foldValues.length, pruned, intermediate, foldValues, bestRounds };
    },
  });
}
