import type { FeaturePipelineState } from '../models/features/feature-pipeline';
import { binaryMetrics, type BinaryMetrics } from '../models/metrics';
import { ScoringModel } from '../models/scoring-model';
import type { TrainTestSplit } from '../models/split';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { loadLabelledData, type TargetSpec } from './labelled-data';

export interface EvaluateModelInput {
  modelName: string;
  datasetId: string;
  splitKey: string;
  target: TargetSpec;
  modelKey: string;
  pipelineKey: string;
}

/** Holdout scores of one model, kept as an artifact so serving can be checked against training. */
export interface HoldoutPredictions {
  rows: number[];
  labels: number[];
  probabilities: number[];
}

export interface EvaluateModelResult {
  metrics: BinaryMetrics;
  predictionsKey: string;
  /** The current production version scored on the same holdout rows, when there is one. */
  production?: { version: number; metrics: BinaryMetrics };
}

export function createEvaluationActivities(deps: ActivityDependencies) {
  const score = (modelKey: string, pipelineKey: string, records: Parameters<ScoringModel['predict']>[0]) => {
    using model = ScoringModel.fromBytes(deps.artifacts.get(modelKey), deps.artifacts.getJson<FeaturePipelineState>(pipelineKey));
    return model.predict(records);
  };

  return withFailureMapping({
    /** Scores the candidate, and the production model if any, on the holdout rows. */
    async evaluateModel(input: EvaluateModelInput): Promise<EvaluateModelResult> {
      const { records, labels } = await loadLabelledData(deps, input.datasetId, input.target);
      const { test } = deps.artifacts.getJson<TrainTestSplit>(input.splitKey);
      const holdout = test.map((row) => records[row]!);
      const holdoutLabels = test.map((row) => labels[row]!);
      const probabilities = score(input.modelKey, input.pipelineKey, holdout);
      const predictions: HoldoutPredictions = { rows: test, labels: holdoutLabels, probabilities: Array.from(probabilities) };
      const result: EvaluateModelResult = {
        metrics: binaryMetrics(holdoutLabels, probabilities),
        predictionsKey: deps.artifacts.putJson(predictions),
      };
      const production = await deps.registry.getProductionVersion(input.modelName);
      if (production) {
        result.production = {
          version: production.version,
          metrics: binaryMetrics(holdoutLabels, score(production.modelKey, production.pipelineKey, holdout)),
        };
      }
      return result;
    },
  });
}
