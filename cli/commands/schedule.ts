import type { Command } from 'commander';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { createRetrainingSchedule, listSchedules, scheduleTiming, withSchedule } from '../../lib/schedules';
import { loadSettings } from '../../lib/settings';
import { withClient } from '../../lib/temporal-client';
import { retrainingScheduleId } from '../../workflows/run-identity';
import { formatTable } from '../table';

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('retraining on Temporal Schedules (cron or interval), with a cooldown');

  schedule
    .command('create')
    .description("schedule the workflow `retraining` for a config's model (timing from the config's schedule section or the options)")
    .requiredOption('-c, --config <file>', 'pipeline config (YAML)')
    .option('--cron <expression>', 'cron expression, e.g. "0 3 * * *"')
    .option('--every <duration>', 'interval, e.g. 6h or 1d')
    .option('--cooldown <duration>', 'no retraining sooner than this after the last model version (default: config or 1h)')
    .option('--replace', 'update the schedule if it exists')
    .action(async (options: { config: string; cron?: string; every?: string; cooldown?: string; replace?: boolean }) => {
      const settings = loadSettings();
      const config = loadPipelineConfig(options.config);
      const timing = scheduleTiming(config, options);
      const scheduleId = await withClient(settings, (client) => createRetrainingSchedule(client, settings, config, timing, { replace: options.replace }));
      console.log(`schedule ${scheduleId}: ${timing.cron !== undefined ? `cron ${timing.cron}` : `every ${timing.every}`}, cooldown ${timing.cooldown}`);
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

  const onSchedule = (name: string, description: string, operation: (handle: Parameters<Parameters<typeof withSchedule>[2]>[0], note: string) => Promise<void>, done: string) =>
    schedule
      .command(`${name} <model>`)
      .description(description)
      .option('--note <text>', 'why (kept on the schedule)', `${name} from the kiln CLI`)
      .action(async (model: string, options: { note: string }) => {
        const scheduleId = retrainingScheduleId(model);
        await withClient(loadSettings(), (client) => withSchedule(client, scheduleId, (handle) => operation(handle, options.note)));
        console.log(`${scheduleId}: ${done}`);
      });

  onSchedule('pause', "stop the model's scheduled retraining until unpaused", (handle, note) => handle.pause(note), 'paused');
  onSchedule('unpause', "resume the model's scheduled retraining", (handle, note) => handle.unpause(note), 'active');
  onSchedule('trigger', 'start a retraining now (the cooldown still applies)', (handle) => handle.trigger(), 'triggered');
  onSchedule('delete', "delete the model's retraining schedule", (handle) => handle.delete(), 'deleted');
}
