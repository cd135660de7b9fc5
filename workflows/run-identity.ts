import type { PipelineConfig } from '../lib/pipeline-config';

// How runs are named and labelled, shared by the client (kiln train, schedules) and by workflows that
// start runs themselves (retraining), so a run looks the same in the Web UI whoever started it.

/** One training run per model at a time: the workflow id is the model's business id. */
export function trainingWorkflowId(modelName: string): string {
  return `train-${modelName}`;
}

/** One retraining decision per model at a time; a second trigger while one runs is a no-op. */
export function retrainingWorkflowId(modelName: string): string {
  return `retrain-${modelName}`;
}

/** A drift check of a model's production version. */
export function driftCheckWorkflowId(modelName: string): string {
  return `drift-check-${modelName}`;
}

/** The Temporal Schedule that retrains a model. */
export function retrainingScheduleId(modelName: string): string {
  return `kiln-retrain-${modelName}`;
}

/** The Temporal Schedule that checks a model's drift. */
export function monitoringScheduleId(modelName: string): string {
  return `kiln-monitor-${modelName}`;
}

/** Shown on a training run's page in the Web UI. */
export function trainingMemo(config: PipelineConfig): Record<string, unknown> {
  // Source types only: locations may carry credentials, which a memo would show to every Web UI user.
  const sources = config.source ? [config.source] : (config.sources ?? []);
  return { description: config.description ?? '', sources: sources.map((source) => source.type).join(' + '), rounds: config.training.rounds, promotion: config.promotion };
}
