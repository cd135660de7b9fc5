import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { modelNameKey } from '../workflows/search-attributes';
import type { trainingPipeline } from '../workflows/training-pipeline';
import { ConflictError } from './errors';
import type { PipelineConfig } from './pipeline-config';
import { ensureSearchAttributes } from './search-attributes';
import type { KilnSettings } from './settings';

/** One training run per model at a time: the workflow id is the model's business id. */
export function trainingWorkflowId(modelName: string): string {
  return `train-${modelName}`;
}

/** Starts `trainingPipeline` for a validated config; a run already going for the model is a ConflictError. */
export async function startTraining(
  client: Client,
  settings: Pick<KilnSettings, 'taskQueue'>,
  config: PipelineConfig,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof trainingPipeline>> {
  const workflowId = trainingWorkflowId(config.name);
  await ensureSearchAttributes(client.connection, client.options.namespace);
  try {
    return await client.workflow.start<typeof trainingPipeline>('trainingPipeline', {
      taskQueue: settings.taskQueue,
      workflowId,
      args: [{ config }],
      typedSearchAttributes: [{ key: modelNameKey, value: config.name }],
      // Shown on the run's page in the Web UI.
      memo: { description: config.description ?? '', source: config.source.path, rounds: config.training.rounds, promotion: config.promotion },
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ConflictError(`a training run of ${config.name} is already running (workflow ${workflowId}); wait for it or cancel it`, { workflowId });
    }
    throw error;
  }
}
