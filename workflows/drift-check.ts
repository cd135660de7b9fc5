import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { KilnActivities } from '../activities';
import type { CheckDriftResult } from '../activities/monitoring';
import type { PipelineConfig } from '../lib/pipeline-config';
import { retraining } from './retraining';
import { retrainingWorkflowId } from './run-identity';
import { modelNameKey } from './search-attributes';

export interface DriftCheckInput {
  config: PipelineConfig;
  /** Fewer logged predictions than this decide nothing. */
  minRows: number;
}

export interface DriftCheckResult {
  check: CheckDriftResult;
  /** What became of the retraining the check asked for, if it asked. */
  retraining: 'not-needed' | 'started' | 'already-running';
  retrainingWorkflowId?: string;
}

const { checkDrift } = proxyActivities<KilnActivities>({ startToCloseTimeout: '10 minutes', retry: { maximumAttempts: 5 } });

/**
 * One drift check of a model's production version (run by its monitoring schedule): when a column or the
 * score drifted past the config's threshold, starts `retraining` (which keeps its cooldown) and lets it
 * run on its own; a retraining already going makes this a no-op.
 */
export async function driftCheck({ config, minRows }: DriftCheckInput): Promise<DriftCheckResult> {
  const monitoring = config.monitoring ?? { window: 1000, psiThreshold: 0.25 };
  const check = await checkDrift({ modelName: config.name, window: monitoring.window, psiThreshold: monitoring.psiThreshold, minRows });
  if (!check.retrain) return { check, retraining: 'not-needed' };
  const workflowId = retrainingWorkflowId(config.name);
  try {
    await startChild(retraining, {
      workflowId,
      args: [{ config, trigger: 'drift', reason: `drift: ${check.summary}`, cooldown: config.schedule?.cooldown ?? '1h' }],
      typedSearchAttributes: [{ key: modelNameKey, value: config.name }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return { check, retraining: 'started', retrainingWorkflowId: workflowId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { check, retraining: 'already-running', retrainingWorkflowId: workflowId };
    throw error;
  }
}
