import type { Command } from 'commander';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { loadSettings, workflowUiLink } from '../../lib/settings';
import { withClient } from '../../lib/temporal-client';
import type { driftCheck } from '../../workflows/drift-check';
import { driftCheckWorkflowId } from '../../workflows/run-identity';

export function registerMonitorCommand(program: Command): void {
  program
    .command('monitor')
    .description("check the production model's drift now (workflow driftCheck): served inputs vs training data; major drift starts retraining")
    .requiredOption('-c, --config <file>', 'pipeline config (YAML); its monitoring section sets window and threshold')
    .option('--min-rows <count>', 'fewer logged predictions than this decide nothing', '100')
    .action(async (options: { config: string; minRows: string }) => {
      const minRows = Number(options.minRows);
      if (!Number.isInteger(minRows) || minRows < 1) throw new Error(`--min-rows: expected a positive whole number, got "${options.minRows}"`);
      const settings = loadSettings();
      const config = loadPipelineConfig(options.config);
      await withClient(settings, async (client) => {
        const workflowId = `${driftCheckWorkflowId(config.name)}-${Date.now()}`;
        const result = await client.workflow.execute<typeof driftCheck>('driftCheck', { taskQueue: settings.taskQueue, workflowId, args: [{ config, minRows }] });
        console.log(result.check.summary);
        if (result.retraining !== 'not-needed') console.log(`retraining: ${result.retraining} (${result.retrainingWorkflowId})`);
        console.log(`  ${workflowUiLink(settings, workflowId)}`);
      });
    });
}
