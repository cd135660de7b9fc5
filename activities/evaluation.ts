import { fitLogisticRegression, predictLogisticRegression } from '../models/baselines/logistic-regression';
import { bootstrapInterval } from '../models/bootstrap';
import { FeaturePipeline, type FeaturePipelineState } from '../models/features/feature-pipeline';
import type { RawRecord } from '../models/features/raw-values';
import { averagePrecision, binaryMetrics, rocAuc, type BinaryMetrics } from '../models/metrics';
import { ScoringModel } from '../models/scoring-model';
import type { TrainTestSplit } from '../models/split';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import type { FeatureSet } from '../lib/feature-set-store';
import { createFeatureSets, type FeatureSetSource } from './feature-sets';
import { loadLabelledData } from './labelled-data';

/** The candidate and where its features came from: the baselines train on the same feature set. */
export interface EvaluateModelInput extends FeatureSetSource {
  modelName: string;
  modelKey: string;
  pipelineKey: string;
  /** The candidate's decision threshold (chosen at training); production is judged at its own. */
  threshold: number;
}

/** Holdout scores of one model, kept as an artifact so serving can be checked against training. */
export interface HoldoutPredictions {
  rows: number[];
  labels: number[];
  probabilities: number[];
}

export interface EvaluateModelResult {
  metrics: BinaryMetrics;
  /** 95% bootstrap intervals of the candidate's ranking metrics on the holdout. */
  intervals: { roc_auc: [number, number]; pr_auc: [number, number] };
  /** Simple models on the same features and rows: what the candidate must be worth its complexity against. */
  baselines: { majority_class: BinaryMetrics; logistic_regression: BinaryMetrics };
  predictionsKey: string;
  /** The current production version scored on the same holdout rows, when there is one. */
  production?: { version: number; metrics: BinaryMetrics };
}

/**
 * Majority class and logistic regression, fitted on the candidate's own training feature set: its
 * out-of-fold target encodings, not the in-sample ones a transform of the training rows would give (those
 * carry each row's own label, and would flatter the baseline on the training rows and mislead it on the
 * holdout). Holdout rows are transformed as serving transforms them.
 */
function baselineMetrics(trainSet: FeatureSet['train'], pipeline: FeaturePipeline, holdout: RawRecord[], holdoutLabels: number[]): EvaluateModelResult['baselines'] {
  const { data, rows, cols, labels } = trainSet;
  const positiveRate = labels.reduce((sum, y) => sum + y, 0) / rows;
  const logistic = fitLogisticRegression(data, rows, cols, labels);
  return {
    majority_class: binaryMetrics(holdoutLabels, new Float64Array(holdout.length).fill(positiveRate)),
    logistic_regression: binaryMetrics(holdoutLabels, predictLogisticRegression(logistic, pipeline.transform(holdout), holdout.length, cols)),
  };
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
        metrics: binaryMetrics(holdoutLabels, probabilities, input.threshold),
        intervals: {
          roc_auc: bootstrapInterval(holdoutLabels, probabilities, rocAuc, { seed: 1 }),
          pr_auc: bootstrapInterval(holdoutLabels, probabilities, averagePrecision, { seed: 1 }),
        },
        baselines: baselineMetrics((await createFeatureSets(deps, input).train()).set.train, new FeaturePipeline(deps.artifacts.getJson<FeaturePipelineState>(input.pipelineKey)), holdout, holdoutLabels),
        predictionsKey: deps.artifacts.putJson(predictions),
      };
      const production = await deps.registry.getProductionVersion(input.modelName);
      if (production) {
        result.production = {
          version: production.version,
          metrics: binaryMetrics(holdoutLabels, score(production.modelKey, production.pipelineKey, holdout), production.metrics.threshold ?? 0.5),
        };
      }
      return result;
    },
  });
}
