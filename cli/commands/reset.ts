import type { Command } from 'commander';
import { resetTrainingRun } from '../../lib/reset';
import { loadSettings, workflowUiLink } from '../../lib/settings';
import { withClient } from '../../lib/temporal-client';
import type { trainingPipeline } from '../../workflows/training-pipeline';
import { formatTrainingResult } from '../format';

export function registerResetCommand(program: Command): void {
  program
    .command('reset <model>')
    .description("re-run a model's failed training from the step that failed (Temporal reset): earlier steps' results are reused, not recomputed")
    .option('--to <activity>', 're-run from this activity instead (e.g. trainModel, evaluateModel)')
    .option('--run <runId>', 'the run to reset (default: the latest)')
    .option('-w, --wait', 'wait for the new run and print its result')
    .action(async (model: string, options: { to?: string; run?: string; wait?: boolean }) => {
      const settings = loadSettings();
      await withClient(settings, async (client) => {
        const reset = await resetTrainingRun(client, model, { to: options.to, runId: options.run });
        console.log(`reset ${reset.workflowId} run ${reset.fromRunId} → new run ${reset.runId}`);
        console.log(`  re-runs from ${reset.restartsAt}; reuses ${reset.reused.length ? reset.reused.join(', ') : 'nothing'}`);
        console.log(`  ${workflowUiLink(settings, reset.workflowId, reset.runId)}`);
        if (options.wait) console.log(formatTrainingResult(await client.workflow.getHandle<typeof trainingPipeline>(reset.workflowId, reset.runId).result()));
      });
    });
}
