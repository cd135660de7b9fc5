import type { Command } from 'commander';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import type { ScheduleHandle } from '@temporalio/client';
import { NotFoundError } from '../../lib/errors';
import { createMonitoringSchedule, createRetrainingSchedule, listSchedules, modelScheduleIds, scheduleTiming, withSchedule } from '../../lib/schedules';
import { loadSettings } from '../../lib/settings';
import { withClient } from '../../lib/temporal-client';
import { monitoringScheduleId, retrainingScheduleId } from '../../workflows/run-identity';
import { formatTable } from '../table';

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('retraining and drift checks on Temporal Schedules, with a cooldown');

  schedule
    .command('create')
    .description("schedule `retraining` (timing from the config's schedule section or the options) and, when the config has a monitoring section, `driftCheck`")
    .requiredOption('-c, --config <file>', 'pipeline config (YAML)')
    .option('--cron <expression>', 'cron expression, e.g. "0 3 * * *"')
    .option('--every <duration>', 'interval, e.g. 6h or 1d')
    .option('--cooldown <duration>', 'no retraining sooner than this after the last model version (default: config or 1h)')
    .option('--replace', 'replace schedules that exist')
    .action(async (options: { config: string; cron?: string; every?: string; cooldown?: string; replace?: boolean }) => {
      const settings = loadSettings();
      const config = loadPipelineConfig(options.config);
      // Monitoring alone is a valid setup: drift is then the only trigger of retraining.
      const timing = config.monitoring && !config.schedule && !options.cron && !options.every ? undefined : scheduleTiming(config, options);
      await withClient(settings, async (client) => {
        if (timing) {
          const id = await createRetrainingSchedule(client, settings, config, timing, { replace: options.replace });
          console.log(`schedule ${id}: retraining ${timing.cron !== undefined ? `cron ${timing.cron}` : `every ${timing.every}`}, cooldown ${timing.cooldown}`);
        }
        if (config.monitoring) {
          const id = await createMonitoringSchedule(client, settings, config, { replace: options.replace });
          console.log(`schedule ${id}: drift check every ${config.monitoring.every}, retraining at PSI ≥ ${config.monitoring.psiThreshold}`);
        }
      });
    });

  schedule
    .command('list')
    .description("Kiln's schedules: timing, state, next runs")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const rows = await withClient(loadSettings(), listSchedules);
      if (options.json) return console.log(JSON.stringify(rows, null, 2));
      console.log(formatTable(
        ['schedule', 'model', 'workflow', 'timing', 'state', 'next run', 'last run'],
        rows.map((row) => [row.scheduleId, row.model, row.workflowType, row.spec, row.paused ? `paused${row.note ? `: ${row.note}` : ''}` : 'active', row.nextRuns[0], row.lastRun?.scheduledAt]),
      ));
    });

  const eachSchedule = (name: string, description: string, operation: (handle: ScheduleHandle, note: string) => Promise<void>, done: string) =>
    schedule
      .command(`${name} <model>`)
      .description(description)
      .action(async (model: string, options: { note?: string }) => {
        await withClient(loadSettings(), async (client) => {
          const ids = await modelScheduleIds(client, model);
          if (ids.length === 0) throw new NotFoundError(`${model} has no schedules (see kiln schedule list)`, { model });
          for (const id of ids) {
            await withSchedule(client, id, (handle) => operation(handle, options.note ?? `${name} from the kiln CLI`));
            console.log(`${id}: ${done}`);
          }
        });
      });

  // Pausing and resuming keep a note on the schedule (shown by list); deleting leaves nothing to keep it on.
  const noteOption = ['--note <text>', 'why (kept on the schedule)'] as const;
  eachSchedule('pause', "pause the model's schedules (retraining and drift checks) until unpaused", (handle, note) => handle.pause(note), 'paused').option(...noteOption);
  eachSchedule('unpause', "resume the model's schedules", (handle, note) => handle.unpause(note), 'active').option(...noteOption);
  eachSchedule('delete', "delete the model's schedules", (handle) => handle.delete(), 'deleted');

  schedule
    .command('trigger <model>')
    .description('start a retraining now (its cooldown still applies), or with --monitor a drift check')
    .option('--monitor', 'trigger the drift check instead')
    .action(async (model: string, options: { monitor?: boolean }) => {
      const scheduleId = options.monitor ? monitoringScheduleId(model) : retrainingScheduleId(model);
      await withClient(loadSettings(), (client) => withSchedule(client, scheduleId, (handle) => handle.trigger()));
      console.log(`${scheduleId}: triggered`);
    });
}
