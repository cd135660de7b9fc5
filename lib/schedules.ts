import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleSpec } from '@temporalio/client';
import type { PipelineConfig } from './pipeline-config';
import { ConflictError, InputError, NotFoundError } from './errors';
import { ensureSearchAttributes } from './search-attributes';
import type { KilnSettings } from './settings';
import type { driftCheck } from '../workflows/drift-check';
import type { retraining } from '../workflows/retraining';
import { driftCheckWorkflowId, monitoringScheduleId, retrainingScheduleId, retrainingWorkflowId } from '../workflows/run-identity';
import { modelNameKey } from '../workflows/search-attributes';

/** Kiln's schedules carry this prefix, so `kiln schedule list` shows them and nothing else. */
const schedulePrefix = 'kiln-';

export interface ScheduleTiming {
  cron?: string;
  every?: string;
  cooldown: string;
}

export interface ScheduleRow {
  scheduleId: string;
  model: string;
  workflowType: string;
  spec: string;
  paused: boolean;
  note?: string;
  nextRuns: string[];
  lastRun?: { scheduledAt: string; workflowId: string };
}

/** The config's schedule, with command-line choices taking precedence; one of cron and every is required. */
export function scheduleTiming(config: PipelineConfig, overrides: Partial<ScheduleTiming>): ScheduleTiming {
  const cron = overrides.cron ?? (overrides.every ? undefined : config.schedule?.cron);
  const every = overrides.every ?? (overrides.cron ? undefined : config.schedule?.every);
  if ((cron === undefined) === (every === undefined)) {
    throw new InputError(`schedule: give --cron or --every, or a schedule section (cron or every) in the config of ${config.name}`, { field: 'schedule' });
  }
  if (every !== undefined && !/^[1-9][0-9]*(s|m|h|d)$/.test(every)) throw new InputError(`--every: a duration like 30m, 6h or 1d, got ${JSON.stringify(every)}`, { field: 'every' });
  return { cron, every, cooldown: overrides.cooldown ?? config.schedule?.cooldown ?? '1h' };
}

function toSpec({ cron, every }: ScheduleTiming): ScheduleSpec {
  return cron !== undefined ? { cronExpressions: [cron] } : { intervals: [{ every: every! }] };
}

function describeTiming({ cron, every, cooldown }: ScheduleTiming): string {
  return `${cron !== undefined ? `cron ${cron}` : `every ${every}`}, cooldown ${cooldown}`;
}

/**
 * Creates (or with `replace`, replaces) the Temporal Schedule that starts `retraining` for the model.
 * Overlapping actions are skipped: a retraining still deciding when the next one is due is enough.
 */
export function createRetrainingSchedule(client: Client, settings: Pick<KilnSettings, 'taskQueue'>, config: PipelineConfig, timing: ScheduleTiming, options: { replace?: boolean } = {}): Promise<string> {
  const args: Parameters<typeof retraining> = [{ config, trigger: 'schedule', cooldown: timing.cooldown }];
  return upsertSchedule(client, settings, config, {
    scheduleId: retrainingScheduleId(config.name),
    workflowType: 'retraining',
    workflowId: retrainingWorkflowId(config.name),
    args,
    spec: toSpec(timing),
    description: describeTiming(timing),
  }, options);
}

/** Creates (or replaces) the schedule that checks the model's drift every `monitoring.every` (workflow `driftCheck`). */
export function createMonitoringSchedule(client: Client, settings: Pick<KilnSettings, 'taskQueue'>, config: PipelineConfig, options: { replace?: boolean; minRows?: number } = {}): Promise<string> {
  if (!config.monitoring) throw new InputError(`monitoring: the config of ${config.name} has no monitoring section`, { field: 'monitoring' });
  const { every, window, psiThreshold } = config.monitoring;
  const args: Parameters<typeof driftCheck> = [{ config, minRows: options.minRows ?? 100 }];
  return upsertSchedule(client, settings, config, {
    scheduleId: monitoringScheduleId(config.name),
    workflowType: 'driftCheck',
    workflowId: driftCheckWorkflowId(config.name),
    args,
    spec: { intervals: [{ every }] },
    description: `every ${every}, last ${window} predictions, retrain at PSI ≥ ${psiThreshold}`,
  }, options);
}

interface ScheduledWorkflow {
  scheduleId: string;
  workflowType: string;
  workflowId: string;
  args: unknown[];
  spec: ScheduleSpec;
  /** The timing as written: the server keeps a cron expression only in compiled form. */
  description: string;
}

async function upsertSchedule(client: Client, settings: Pick<KilnSettings, 'taskQueue'>, config: PipelineConfig, scheduled: ScheduledWorkflow, { replace = false }: { replace?: boolean }): Promise<string> {
  const { scheduleId, workflowType, workflowId, args, spec, description } = scheduled;
  const create = () =>
    client.schedule.create({
      scheduleId,
      spec,
      action: { type: 'startWorkflow', workflowType, taskQueue: settings.taskQueue, workflowId, args, typedSearchAttributes: [{ key: modelNameKey, value: config.name }] },
      policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
      memo: { model: config.name, spec: description },
    });
  await ensureSearchAttributes(client.connection, client.options.namespace);
  try {
    await create();
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    if (!replace) throw new ConflictError(`schedule ${scheduleId} already exists: pass --replace to update it, or delete it first`, { scheduleId });
    // A schedule's memo cannot be updated, and it holds the timing as written: replace the schedule whole.
    await client.schedule.getHandle(scheduleId).delete();
    await create();
  }
  await untilListed(client, scheduleId);
  return scheduleId;
}

/**
 * Waits, up to `timeoutMs`, for the schedule to appear in the server's listing, which is eventually
 * consistent: without this, `kiln schedule create` followed at once by `kiln schedule list` could omit it.
 * The schedule exists either way, so running out of time is not an error.
 */
async function untilListed(client: Client, scheduleId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for await (const summary of client.schedule.list()) if (summary.scheduleId === scheduleId) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kiln's schedules, with their next runs and the last one started. */
export async function listSchedules(client: Client): Promise<ScheduleRow[]> {
  const ids: string[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.scheduleId.startsWith(schedulePrefix)) ids.push(summary.scheduleId);
  }
  // The listing is eventually consistent; each schedule's own description is current.
  const rows = await Promise.all(ids.map(async (scheduleId): Promise<ScheduleRow | undefined> => {
    const schedule = await describeIfExists(client, scheduleId); // undefined: deleted since it was listed
    if (!schedule) return undefined;
    const last = schedule.info.recentActions.at(-1);
    return {
      scheduleId,
      model: String(schedule.memo?.model ?? ''),
      workflowType: schedule.action.workflowType,
      spec: String(schedule.memo?.spec ?? ''),
      paused: schedule.state.paused,
      note: schedule.state.note || undefined,
      nextRuns: schedule.info.nextActionTimes.slice(0, 3).map((time) => time.toISOString()),
      lastRun: last && { scheduledAt: last.scheduledAt.toISOString(), workflowId: last.action.workflow.workflowId },
    };
  }));
  return rows.filter((row) => row !== undefined).sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** The model's schedules (retraining, drift checks) that exist, found by id: the listing may lag behind a create or a delete. */
export async function modelScheduleIds(client: Client, model: string): Promise<string[]> {
  const ids = [retrainingScheduleId(model), monitoringScheduleId(model)];
  const found = await Promise.all(ids.map((scheduleId) => describeIfExists(client, scheduleId)));
  return ids.filter((_, i) => found[i] !== undefined);
}

async function describeIfExists(client: Client, scheduleId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

/** Runs a schedule operation on a Kiln schedule, naming it when it does not exist. */
export async function withSchedule<T>(client: Client, scheduleId: string, operation: (handle: ReturnType<Client['schedule']['getHandle']>) => Promise<T>): Promise<T> {
  try {
    return await operation(client.schedule.getHandle(scheduleId));
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new NotFoundError(`no schedule ${scheduleId} (see kiln schedule list)`, { scheduleId });
    throw error;
  }
}
