import { InputError } from '../lib/errors';
import { fitFeaturePipeline, FeaturePipeline, type TargetLabels } from '../models/features/feature-pipeline';
import type { RawRecord } from '../models/features/raw-values';
import type { TrainTestSplit } from '../models/split';
import { Context } from '@temporalio/activity';
import { trainInWorker, type BoosterParams } from '../models/xgboost';
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
  params: BoosterParams;
  rounds: number;
}

export interface TrainModelResult {
  modelKey: string;
  pipelineKey: string;
  featureCount: number;
  /** The last round's metrics on the training rows. */
  trainMetrics: Record<string, number>;
}

/** The target's negative label: its one other value, or "not <positive>" when there are several. */
function targetLabels(records: RawRecord[], { column, positive }: TargetSpec): TargetLabels {
  const others = new Set(records.map((record) => String(record[column])).filter((value) => value !== positive));
  return { column, positive, negative: others.size === 1 ? [...others][0]! : `not ${positive}` };
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
      const trainRecords = split.train.map((row) => records[row]!);
      const pipelineState = fitFeaturePipeline(trainRecords, inputs, targetLabels(records, input.target), { maxCategories: input.maxCategories });
      const pipeline = new FeaturePipeline(pipelineState);
      const trainLabels = Float32Array.from(split.train, (row) => labels[row]!);
      const dtrain = { data: pipeline.transform(trainRecords), rows: trainRecords.length, cols: pipeline.featureCount, labels: trainLabels, featureNames: pipelineState.featureNames };
      const context = Context.current();
      // Boosting runs on a worker thread, so this thread keeps heartbeating (a dead worker is noticed
      // within the heartbeat timeout) and a cancelled run stops after the current round.
      const result = await trainInWorker({
        params: input.params,
        dtrain,
        rounds: input.rounds,
        evals: [['train', dtrain]],
        onRound: (round) => context.heartbeat({ round }),
        signal: context.cancellationSignal,
      });
      return {
        modelKey: deps.artifacts.put(result.model),
        pipelineKey: deps.artifacts.putJson(pipelineState),
        featureCount: pipeline.featureCount,
        trainMetrics: result.history.at(-1)?.train ?? {},
      };
    },
  });
}
