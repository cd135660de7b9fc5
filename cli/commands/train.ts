import type { Command } from 'commander';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { loadSettings, workflowUiLink } from '../../lib/settings';
import { connectClient } from '../../lib/temporal-client';
import { startTraining } from '../../lib/training-client';
import { formatTrainingResult } from '../format';
import { followTraining } from '../progress';

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('start the training pipeline for a config (workflow trainingPipeline)')
    .requiredOption('-c, --config <file>', 'pipeline config (YAML)')
    .option('-w, --wait', 'follow the run with a progress bar, then print its result')
    .action(async (options: { config: string; wait?: boolean }) => {
      const settings = loadSettings();
      const config = loadPipelineConfig(options.config);
      const client = await connectClient(settings);
      try {
        const handle = await startTraining(client, settings, config);
        console.log(`started workflow ${handle.workflowId}`);
        console.log(`  ${workflowUiLink(settings, handle.workflowId, handle.firstExecutionRunId)}`);
        if (options.wait) console.log(formatTrainingResult(await followTraining(client, handle)));
      } finally {
        await client.connection.close();
      }
    });
}
