import { CancellationScope, defineQuery, executeChild, isCancellation, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { KilnActivities } from '../activities';
import type { EvaluateModelResult } from '../activities/evaluation';
import type { FeaturesReport } from '../activities/feature-sets';
import type { PipelineConfig } from '../lib/pipeline-config';
import { decidePromotion, type PromotionDecision } from '../models/promotion-gate';
import type { JsonValue } from '../models/tuning';
import { datasetVersionKey, outcomeKey } from './search-attributes';
import { tuningStudy, type TuningStudyResult } from './tuning-study';

export interface TrainingPipelineInput {
  /** A validated config whose source path is absolute on the workers' machines. */
  config: PipelineConfig;
}

export interface TrainingPipelineResult {
  modelName: string;
  datasetId: string;
  version: number;
  metrics: EvaluateModelResult['metrics'];
  intervals: EvaluateModelResult['intervals'];
  baselines: EvaluateModelResult['baselines'];
  production?: EvaluateModelResult['production'];
  decision: PromotionDecision;
  promoted: boolean;
  /** Artifact with the holdout rows' probabilities, to check serving against training. */
  predictionsKey: string;
  /** The data-quality report (warnings only: errors fail the run before training). */
  validation: { reportKey: string; warnings: number };
  /** The search's outcome, when the config asks for tuning. */
  tuning?: TuningStudyResult;
}

export type TrainingStage = 'ingest' | 'validate' | 'split' | 'features' | 'tune' | 'train' | 'evaluate' | 'register' | 'promote' | 'done';

export interface TrainingProgress {
  stage: TrainingStage;
  datasetId?: string;
  version?: number;
  /** How the run came by its feature sets (the buildFeatures step): reused from an earlier run on the same data and config, or fitted; and the time taken. */
  features?: FeaturesReport;
}

export const progressQuery = defineQuery<TrainingProgress>('progress');

// Each profile's startToCloseTimeout is the longest one attempt may take; data errors are
// non-retryable failures raised by the activities, everything else is retried with backoff.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 };
const { ingest, validateDataset, splitDataset } = proxyActivities<KilnActivities>({ startToCloseTimeout: '10 minutes', retry });
// Training heartbeats every boosting round, building features every set; a worker that dies is noticed within a minute.
const { buildFeatures, trainModel } = proxyActivities<KilnActivities>({ startToCloseTimeout: '2 hours', heartbeatTimeout: '1 minute', retry: { ...retry, maximumAttempts: 3 } });
const { evaluateModel } = proxyActivities<KilnActivities>({ startToCloseTimeout: '30 minutes', retry: { ...retry, maximumAttempts: 3 } });
const { registerModelVersion, promoteModelVersion, recordRunStarted, recordRunFinished } = proxyActivities<KilnActivities>({ startToCloseTimeout: '30 seconds', retry });
// The card loads the dataset and explains the holdout with TreeSHAP.
const { writeModelCard } = proxyActivities<KilnActivities>({ startToCloseTimeout: '10 minutes', retry: { ...retry, maximumAttempts: 3 } });

/** Ingest → validate → split → features → tune → train → evaluate → register → promote when the gate says so. */
export async function trainingPipeline(input: TrainingPipelineInput): Promise<TrainingPipelineResult> {
  const progress: TrainingProgress = { stage: 'ingest' };
  setHandler(progressQuery, () => progress);
  // The run's records are written outside cancellation: a run cancelled at any moment still gets its start and its end.
  const started = await CancellationScope.nonCancellable(() => recordRunStarted({ config: input.config }));
  try {
    const result = await runPipeline(input, progress);
    const outcome = result.promoted ? 'promoted' : 'kept-production';
    upsertSearchAttributes([{ key: outcomeKey, value: outcome }]);
    await recordRunFinished({ startedRunId: started.runId, outcome, datasetId: result.datasetId, modelVersion: result.version });
    return result;
  } catch (error) {
    const outcome = isCancellation(error) ? 'cancelled' : 'failed';
    upsertSearchAttributes([{ key: outcomeKey, value: outcome }]);
    await CancellationScope.nonCancellable(() =>
      recordRunFinished({ startedRunId: started.runId, outcome, datasetId: progress.datasetId, modelVersion: progress.version, ...(outcome === 'failed' ? { error: rootMessage(error) } : {}) }),
    );
    throw error;
  }
}

/** The innermost message of a failure chain (WorkflowFailed → ActivityFailure → ApplicationFailure): the one that says what went wrong. */
function rootMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as { message?: string; cause?: unknown };
  return current?.message || String(error);
}

async function runPipeline({ config }: TrainingPipelineInput, progress: TrainingProgress): Promise<TrainingPipelineResult> {
  const target = { column: config.target.column, positive: config.target.positive, keep: config.target.keep };

  const { datasetId } = await ingest({ datasetName: config.name, source: config.source, sources: config.sources, incremental: config.incremental });
  upsertSearchAttributes([{ key: datasetVersionKey, value: datasetId }]);
  Object.assign(progress, { stage: 'validate', datasetId });
  const validation = await validateDataset({ datasetId, target, exclude: config.features.exclude, rules: config.validation });

  progress.stage = 'split';
  const { splitKey } = await splitDataset({ datasetId, target, ...config.split });
  // What the feature sets are fitted from: the same for the trials, the final model and the baselines.
  const featureSource = { datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: config.features.maxCategories, features: config.features };
  const thresholdFolds = { folds: config.tuning?.folds ?? 3, seed: config.split.seed };
  const crossValidation = [
    ...(config.tuning ? [{ folds: config.tuning.folds, seed: config.tuning.seed }] : []),
    ...(config.threshold.rule === 'fixed' ? [] : [thresholdFolds]),
  ].filter((scheme, i, all) => all.findIndex((other) => other.folds === scheme.folds && other.seed === scheme.seed) === i);

  progress.stage = 'features';
  progress.features = await buildFeatures({ ...featureSource, crossValidation });

  let params = config.training.params;
  let rounds = config.training.rounds;
  let tuning: TuningStudyResult | undefined;
  if (config.tuning) {
    progress.stage = 'tune';
    const { trials, parallelism, patience, timeout, warmStart, folds, maxRounds, earlyStoppingRounds, metric, sampler, seed, space, pruner } = config.tuning;
    tuning = await executeChild(tuningStudy, {
      workflowId: `${workflowInfo().workflowId}-study`,
      args: [{
        studyName: `${config.name}/${workflowInfo().runId}`,
        modelName: config.name,
        space: space as Record<string, JsonValue>,
        direction: metric === 'log_loss' ? 'minimize' : 'maximize',
        sampler: { type: sampler, seed },
        pruner: {
          spec: pruner.type === 'none' ? { type: 'none' } : { type: 'median', nStartupTrials: pruner.nStartupTrials, nWarmupSteps: pruner.nWarmupSteps },
          every: pruner.every,
        },
        trials,
        parallelism,
        patience,
        timeout,
        warmStart,
        baseParams: params,
        trial: { ...featureSource, maxRounds, earlyStoppingRounds, folds, seed, metric },
      }],
    });
    params = tuning.bestParams;
    rounds = tuning.bestRounds;
  }

  progress.stage = 'train';
  const trained = await trainModel({
    ...featureSource,
    params,
    rounds,
    threshold: config.threshold,
    thresholdFolds,
  });

  progress.stage = 'evaluate';
  const evaluation = await evaluateModel({ ...featureSource, modelName: config.name, modelKey: trained.modelKey, pipelineKey: trained.pipelineKey, threshold: trained.threshold.threshold });

  progress.stage = 'register';
  const { version } = await registerModelVersion({
    modelName: config.name,
    datasetId,
    params: { ...params, rounds },
    metrics: {
      ...evaluation.metrics,
      threshold: trained.threshold.threshold,
      roc_auc_ci_low: evaluation.intervals.roc_auc[0],
      roc_auc_ci_high: evaluation.intervals.roc_auc[1],
      baseline_logistic_roc_auc: evaluation.baselines.logistic_regression.roc_auc,
    },
    modelKey: trained.modelKey,
    pipelineKey: trained.pipelineKey,
  });
  progress.version = version;
  await writeModelCard({ modelName: config.name, version, description: config.description, target, splitKey, validationReportKey: validation.reportKey, evaluation });

  const decision = decidePromotion(config.promotion, evaluation.metrics, evaluation.production);
  let promoted = false;
  if (decision.promote) {
    progress.stage = 'promote';
    ({ promoted } = await promoteModelVersion({ modelName: config.name, version, reason: decision.reason }));
  }
  progress.stage = 'done';
  return {
    modelName: config.name,
    datasetId,
    version,
    metrics: evaluation.metrics,
    intervals: evaluation.intervals,
    baselines: evaluation.baselines,
    production: evaluation.production,
    decision,
    promoted,
    predictionsKey: evaluation.predictionsKey,
    validation: { reportKey: validation.reportKey, warnings: validation.warnings },
    tuning,
  };
}
