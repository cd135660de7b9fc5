// What a run's Temporal history says about its timing: every activity with its scheduled, started and
// completed times, the identity of the worker that ran it and its result; child workflows with their
// span. Measured by the server, so the bench reports what happened, not what the client guessed.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';

export interface ActivitySpan {
  type: string;
  scheduledMs: number;
  completedMs: number;
  /** The worker that ran its last attempt (`pid@host` by default). */
  identity: string;
  result: unknown;
}

export interface ChildSpan {
  workflowId: string;
  /** The run the parent started (a study that continued as new has later runs: see `spansOf`). */
  runId: string;
  initiatedMs: number;
  completedMs: number;
}

export interface RunSpans {
  startedMs: number;
  closedMs: number;
  activities: ActivitySpan[];
  children: ChildSpan[];
}

/** The spans of one workflow run, following continue-as-new to the run that closed the chain. */
export async function spansOf(client: Client, workflowId: string, runId: string): Promise<RunSpans> {
  const spans: RunSpans = { startedMs: NaN, closedMs: NaN, activities: [], children: [] };
  for (let current: string | undefined = runId; current;) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, current).fetchHistory();
    current = undefined;
    const scheduled = new Map<string, { type: string; ms: number; identity: string }>();
    const initiated = new Map<string, { workflowId: string; ms: number; runId: string }>();
    for (const event of history.events ?? []) {
      const ms = tsToMs(event.eventTime);
      const id = String(event.eventId);
      if (event.workflowExecutionStartedEventAttributes && Number.isNaN(spans.startedMs)) spans.startedMs = ms;
      if (event.workflowExecutionCompletedEventAttributes || event.workflowExecutionFailedEventAttributes) spans.closedMs = ms;
      const continued = event.workflowExecutionContinuedAsNewEventAttributes;
      if (continued) current = continued.newExecutionRunId ?? undefined;
      const schedule = event.activityTaskScheduledEventAttributes;
      if (schedule) scheduled.set(id, { type: schedule.activityType?.name ?? '?', ms, identity: '' });
      const start = event.activityTaskStartedEventAttributes;
      if (start) scheduled.get(String(start.scheduledEventId))!.identity = start.identity ?? '';
      const done = event.activityTaskCompletedEventAttributes;
      if (done) {
        const { type, ms: scheduledMs, identity } = scheduled.get(String(done.scheduledEventId))!;
        const payload = done.result?.payloads?.[0];
        spans.activities.push({ type, scheduledMs, completedMs: ms, identity, result: payload ? defaultPayloadConverter.fromPayload(payload) : undefined });
      }
      const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
      if (child) initiated.set(id, { workflowId: child.workflowId ?? '', ms, runId: '' });
      const childStarted = event.childWorkflowExecutionStartedEventAttributes;
      if (childStarted) initiated.get(String(childStarted.initiatedEventId))!.runId = childStarted.workflowExecution?.runId ?? '';
      const childDone = event.childWorkflowExecutionCompletedEventAttributes;
      if (childDone) {
        const { workflowId: childId, ms: initiatedMs, runId: childRunId } = initiated.get(String(childDone.initiatedEventId))!;
        spans.children.push({ workflowId: childId, runId: childRunId, initiatedMs, completedMs: ms });
      }
    }
  }
  return spans;
}

/** Wall time of the activities of one type, summed (ms, from scheduling to completion). */
export function activityMs(spans: RunSpans, type: string): number {
  return spans.activities.filter((span) => span.type === type).reduce((sum, span) => sum + span.completedMs - span.scheduledMs, 0);
}
