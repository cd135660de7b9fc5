import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { trainingPipeline } from '../workflows/training-pipeline';
import { ConflictError } from './errors';
import type { PipelineConfig } from './pipeline-config';
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
  try {
    return await client.workflow.start<typeof trainingPipeline>('trainingPipeline', {
      taskQueue: settings.taskQueue,
      workflowId,
      args: [{ config }],
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
