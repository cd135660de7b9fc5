import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { trainingMemo, trainingWorkflowId } from '../workflows/run-identity';
import { modelNameKey } from '../workflows/search-attributes';
import type { trainingPipeline } from '../workflows/training-pipeline';
import { ConflictError } from './errors';
import type { PipelineConfig } from './pipeline-config';
import { ensureSearchAttributes } from './search-attributes';
import type { KilnSettings } from './settings';

export { trainingWorkflowId };

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
      memo: trainingMemo(config),
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
