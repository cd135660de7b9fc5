import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { KilnActivities } from '../activities';
import type { PipelineConfig } from '../lib/pipeline-config';
import { durationMs } from './duration';
import { trainingMemo, trainingWorkflowId } from './run-identity';
import { modelNameKey } from './search-attributes';
import { trainingPipeline, type TrainingPipelineResult } from './training-pipeline';

export interface RetrainingInput {
  config: PipelineConfig;
  /** Who asked: a Temporal Schedule, drift monitoring, or a person. */
  trigger: 'schedule' | 'drift' | 'manual';
  /** Why, in words (e.g. which column drifted); kept in the result. */
  reason?: string;
  /** No retraining sooner than this after the model's last version (e.g. "1h"): stops retraining storms. */
  cooldown: string;
}

export interface RetrainingResult {
  outcome: 'trained' | 'cooldown' | 'already-running';
  trigger: RetrainingInput['trigger'];
  reason: string;
  training?: TrainingPipelineResult;
}

const { lastTrainedAt } = proxyActivities<KilnActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5 } });

/**
 * Decides whether a trigger becomes a training run, and runs it as a child: skipped inside the
 * cooldown, and a no-op while the model's training already runs (the child's workflow id is the
 * model's training id, which the server lets only one run hold).
 */
export async function retraining({ config, trigger, reason = trigger, cooldown }: RetrainingInput): Promise<RetrainingResult> {
  const last = await lastTrainedAt(config.name);
  // The run's start time is part of its history, so a replay takes the same branch.
  if (last !== null && workflowInfo().runStartTime.getTime() - Date.parse(last) < durationMs(cooldown)) {
    return { outcome: 'cooldown', trigger, reason: `${reason}; skipped: last version ${last} is within the ${cooldown} cooldown` };
  }
  try {
    const training = await executeChild(trainingPipeline, {
      workflowId: trainingWorkflowId(config.name),
      args: [{ config }],
      typedSearchAttributes: [{ key: modelNameKey, value: config.name }],
      memo: { ...trainingMemo(config), trigger, startedBy: workflowInfo().workflowId },
      // The training outlives this decision: a cancelled or terminated retraining does not abort it.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return { outcome: 'trained', trigger, reason, training };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      return { outcome: 'already-running', trigger, reason: `${reason}; skipped: ${trainingWorkflowId(config.name)} is already running` };
    }
    throw error;
  }
}
