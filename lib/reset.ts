import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { InputError, NotFoundError } from './errors';
import { trainingWorkflowId } from '../workflows/run-identity';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

export interface ResetOptions {
  /** Re-run from this activity's first scheduling (e.g. evaluateModel); default: the step that failed. */
  to?: string;
  /** The run to reset; default the model's latest. */
  runId?: string;
  reason?: string;
}

export interface ResetResult {
  workflowId: string;
  fromRunId: string;
  runId: string;
  /** What is re-run: the activity (or child workflow) the new run starts again from. */
  restartsAt: string;
  /** Activities before it whose recorded results the new run reuses. */
  reused: string[];
}

/**
 * Resets a model's training run (Temporal reset) to just before a step, so everything upstream keeps its
 * recorded result and only that step and what follows run again — after a failed run's cause is fixed.
 */
export async function resetTrainingRun(client: Client, modelName: string, options: ResetOptions = {}): Promise<ResetResult> {
  const workflowId = trainingWorkflowId(modelName);
  const handle = client.workflow.getHandle(workflowId, options.runId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') throw new NotFoundError(`no training run ${workflowId}${options.runId ? ` with run id ${options.runId}` : ''}`, { workflowId });
    throw error;
  }
  if (description.status.name === 'RUNNING') throw new InputError(`${workflowId} is still running: cancel it first (kiln cancel ${modelName}) or wait for it to end`, { workflowId });
  const events = await historyEvents(client, workflowId, description.runId);
  const step = options.to ? firstScheduling(events, options.to) : failedStep(events);
  if (!step) {
    throw new InputError(
      options.to
        ? `--to: ${workflowId} never ran activity "${options.to}" (it ran: ${[...new Set(events.map(stepName).filter(Boolean))].join(', ')})`
        : `${workflowId} run ${description.runId} has no failed step to reset to (status ${description.status.name}); name one with --to`,
      { field: 'to' },
    );
  }
  // Resetting to the workflow task that scheduled the step replays everything before it from history.
  const reset: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId: description.runId },
    workflowTaskFinishEventId: step.event.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId ?? step.event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowTaskCompletedEventId,
    requestId: crypto.randomUUID(),
    reason: options.reason ?? `re-run from ${step.name}`,
  });
  const reused = events
    .filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && Number(event.eventId) < Number(step.event.eventId))
    .map((event) => stepName(events.find((e) => Number(e.eventId) === Number(event.activityTaskCompletedEventAttributes!.scheduledEventId))!)!);
  return { workflowId, fromRunId: description.runId, runId: reset.runId!, restartsAt: step.name, reused };
}

/** Every event of a run's history, page by page. */
async function historyEvents(client: Client, workflowId: string, runId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** The activity type or child workflow type an event schedules. */
function stepName(event: HistoryEvent): string | undefined {
  return event.activityTaskScheduledEventAttributes?.activityType?.name ?? event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ?? undefined;
}

function firstScheduling(events: HistoryEvent[], name: string): { event: HistoryEvent; name: string } | undefined {
  const event = events.find((e) => stepName(e) === name);
  return event && { event, name };
}

/** The activity or child workflow whose failure (or timeout) ended the run: the last one that failed. */
function failedStep(events: HistoryEvent[]): { event: HistoryEvent; name: string } | undefined {
  for (const event of [...events].reverse()) {
    const initiatedId =
      event.activityTaskFailedEventAttributes?.scheduledEventId ??
      event.activityTaskTimedOutEventAttributes?.scheduledEventId ??
      event.childWorkflowExecutionFailedEventAttributes?.initiatedEventId ??
      event.childWorkflowExecutionTimedOutEventAttributes?.initiatedEventId;
    if (initiatedId === undefined || initiatedId === null) continue;
    const scheduled = events.find((e) => Number(e.eventId) === Number(initiatedId));
    if (scheduled) return { event: scheduled, name: stepName(scheduled)! };
  }
  return undefined;
}
