import type { Command } from 'commander';
import { trainingWorkflowId } from '../../lib/training-client';
import { loadSettings, workflowUiLink } from '../../lib/settings';
import { connectClient } from '../../lib/temporal-client';
import { datasetVersionKey, modelNameKey, outcomeKey } from '../../workflows/search-attributes';
import { formatTable } from '../table';

export function registerRunsCommands(program: Command): void {
  program
    .command('runs')
    .description('training runs, newest first, from Temporal (filter with --model)')
    .option('-m, --model <name>', 'only runs of this model')
    .option('-n, --limit <count>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .action(async (options: { model?: string; limit: string; json?: boolean }) => {
      const settings = loadSettings();
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit: expected a positive whole number, got "${options.limit}"`);
      const client = await connectClient(settings);
      try {
        // Workflow ids are trusted only after the model name passed the config's pattern; quote anyway.
        const query = `WorkflowType = 'trainingPipeline'${options.model ? ` AND WorkflowId = '${trainingWorkflowId(options.model).replace(/'/g, '')}'` : ''}`;
        const runs = [];
        for await (const run of client.workflow.list({ query })) {
          runs.push({
            workflowId: run.workflowId,
            runId: run.runId,
            status: run.status.name,
            model: run.typedSearchAttributes.get(modelNameKey),
            datasetVersion: run.typedSearchAttributes.get(datasetVersionKey),
            outcome: run.typedSearchAttributes.get(outcomeKey),
            started: run.startTime.toISOString(),
            closed: run.closeTime?.toISOString(),
            link: workflowUiLink(settings, run.workflowId, run.runId),
          });
          if (runs.length >= limit) break;
        }
        if (options.json) return console.log(JSON.stringify(runs, null, 2));
        console.log(
          formatTable(
            ['model', 'status', 'outcome', 'dataset', 'started', 'run id'],
            runs.map((r) => [r.model, r.status, r.outcome, r.datasetVersion, r.started, r.runId]),
          ),
        );
      } finally {
        await client.connection.close();
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
