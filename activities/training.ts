import { InputError } from '../lib/errors';
import { fitTrainingFeatures, type FitOptions, type TargetLabels } from '../models/features/feature-pipeline';
import type { RawRecord } from '../models/features/raw-values';
import { Context } from '@temporalio/activity';
import { stratifiedKFold } from '../models/cross-validation';
import type { TrainTestSplit } from '../models/split';
import { chooseThreshold, type ChosenThreshold, type ThresholdRule } from '../models/threshold';
import { Booster, trainInWorker, type BoosterParams } from '../models/xgboost';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { featureInputs, loadLabelledData, type TargetSpec } from './labelled-data';

export interface TrainModelInput {
  datasetId: string;
  splitKey: string;
  target: TargetSpec;
  /** Columns that are not features (identifiers); the target is never a feature. */
  exclude: string[];
  maxCategories: number;
  /**
   * The config's column steps, selection and class imbalance (its `features` section). Absent in runs
   * started before steps existed: plain one-hot features, no rebalancing, as those runs were fitted.
   */
  features?: FitOptions;
  params: BoosterParams;
  rounds: number;
  /** How probabilities become labels (default fixed at 0.5); other rules are chosen on out-of-fold predictions. */
  threshold?: ThresholdRule;
  /** Folds and seed of those out-of-fold predictions. */
  thresholdFolds?: { folds: number; seed: number };
}

export interface TrainModelResult {
  modelKey: string;
  pipelineKey: string;
  featureCount: number;
  /** The last round's metrics on the training rows. */
  trainMetrics: Record<string, number>;
  threshold: ChosenThreshold;
}

/** The target's negative label: its one other value, or "not <positive>" when there are several. */
function targetLabels(records: RawRecord[], { column, positive }: TargetSpec): TargetLabels {
  const others = new Set(records.map((record) => String(record[column])).filter((value) => value !== positive));
  return { column, positive, negative: others.size === 1 ? [...others][0]! : `not ${positive}` };
}

/** What fitting the features takes from an activity input. */
export function featureOptions({ maxCategories, features }: Pick<TrainModelInput, 'maxCategories' | 'features'>): FitOptions {
  return { maxCategories, ...(features ?? { imbalance: 'none' }) };
}

export function createTrainingActivities(deps: ActivityDependencies) {
  return withFailureMapping({
    /** Fits the feature pipeline and XGBoost on the training rows only, and stores both. */
    async trainModel(input: TrainModelInput): Promise<TrainModelResult> {
      const { records, labels, columns } = await loadLabelledData(deps, input.datasetId, input.target);
      const split = deps.artifacts.getJson<TrainTestSplit>(input.splitKey);
      for (const name of input.exclude) {
        if (!columns.some((column) => column.name === name)) throw new InputError(`features.exclude: "${name}" is not a column of the dataset`, { field: 'features.exclude' });
      }
      const inputs = featureInputs(columns, input.target, input.exclude);
      const target = targetLabels(records, input.target);
      const context = Context.current();
      let roundsDone = 0;
      /** Fits the feature pipeline and XGBoost on the given rows only. */
      const fit = async (rows: number[]) => {
        const fitRecords = rows.map((row) => records[row]!);
        const { state: pipelineState, pipeline, matrix, boosterParams } = fitTrainingFeatures(fitRecords, inputs, target, featureOptions(input));
        const dtrain = { data: matrix.data, rows: matrix.rows, cols: matrix.cols, labels: matrix.labels, featureNames: matrix.featureNames };
        // Boosting runs on a worker thread, so this thread keeps heartbeating (a dead worker is noticed
        // within the heartbeat timeout) and a cancelled run stops after the current round.
        const result = await trainInWorker({
          params: { ...boosterParams, ...input.params },
          dtrain,
          rounds: input.rounds,
          evals: [['train', dtrain]],
          onRound: () => context.heartbeat({ round: ++roundsDone }),
          signal: context.cancellationSignal,
        });
        return { pipelineState, pipeline, result };
      };

      const rule = input.threshold ?? { rule: 'fixed', value: 0.5 };
      const final = await fit(split.train);
      return {
        modelKey: deps.artifacts.put(final.result.model),
        pipelineKey: deps.artifacts.putJson(final.pipelineState),
        featureCount: final.pipeline.featureCount,
        trainMetrics: final.result.history.at(-1)?.train ?? {},
        threshold: rule.rule === 'fixed' ? chooseThreshold([], [], rule) : await outOfFoldThreshold(),
      };

      /** The rule applied to predictions of each training row by a model fitted without it. */
      async function outOfFoldThreshold(): Promise<ChosenThreshold> {
        const { folds, seed } = input.thresholdFolds ?? { folds: 3, seed: 0 };
        const scores = new Float64Array(labels.length);
        for (const fold of stratifiedKFold(split.train, labels, folds, seed)) {
          const { pipeline, result } = await fit(fold.train);
          using booster = Booster.fromBuffer(result.model);
          const predicted = booster.inplacePredict(pipeline.transform(fold.valid.map((row) => records[row]!)), fold.valid.length, pipeline.featureCount);
          fold.valid.forEach((row, i) => { scores[row] = predicted[i]!; });
        }
        return chooseThreshold(split.train.map((row) => labels[row]!), split.train.map((row) => scores[row]!), rule);
      }
    },
  });
}
