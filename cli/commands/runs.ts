import type { Command } from 'commander';
import type { PipelineRun } from '../../db';
import { openResources } from '../../lib/resources';
import { loadSettings, workflowUiLink } from '../../lib/settings';
import { connectClient } from '../../lib/temporal-client';
import { trainingWorkflowId } from '../../lib/training-client';
import { formatTable } from '../table';

export function registerRunsCommands(program: Command): void {
  program
    .command('runs')
    .description('training runs, newest first, as the registry recorded them (filter with --model)')
    .option('-m, --model <name>', 'only runs of this model')
    .option('-n, --limit <count>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .action(async (options: { model?: string; limit: string; json?: boolean }) => {
      const settings = loadSettings();
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit: expected a positive whole number, got "${options.limit}"`);
      const resources = await openResources(settings);
      try {
        const runs = (await resources.registry.listRuns({ modelName: options.model, limit })).map((run) => ({
          ...run,
          temporalUi: workflowUiLink(settings, run.workflowId, run.runId),
        }));
        if (options.json) return console.log(JSON.stringify(runs, null, 2));
        console.log(
          formatTable(
            ['run', 'model', 'status', 'outcome', 'dataset version', 'model version', 'started', 'duration', 'web ui'],
            runs.map((run) => [
              // A run id's first eight characters tell runs apart, as a short git hash does; --json has it whole.
              run.runId.slice(0, 8),
              run.modelName,
              run.status,
              run.outcome ?? '',
              run.datasetId ?? '',
              run.modelVersion ?? '',
              run.startedAt.replace('T', ' ').slice(0, 19),
              formatDuration(run),
              run.temporalUi,
            ]),
          ),
        );
      } finally {
        await resources.close();
      }
    });

  program
    .command('cancel <model>')
    .description("cancel a model's running training: the current activity stops, nothing is promoted")
    .action(async (model: string) => {
      const settings = loadSettings();
      const client = await connectClient(settings);
      try {
        await client.workflow.getHandle(trainingWorkflowId(model)).cancel();
        console.log(`cancellation requested for ${trainingWorkflowId(model)}`);
      } finally {
        await client.connection.close();
      }
    });
}

/** `42s`, `3m 05s`, `1h 02m`; a running run counts up to now. */
export function formatDuration(run: Pick<PipelineRun, 'startedAt' | 'finishedAt'>, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round(((run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt)) / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = seconds < 60 ? `${seconds}s` : seconds < 3600 ? `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s` : `${Math.floor(seconds / 3600)}h ${pad(Math.floor(seconds / 60) % 60)}m`;
  return run.finishedAt ? text : `${text} so far`;
}
