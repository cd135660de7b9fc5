import type { TrainingPipelineResult } from '../workflows/training-pipeline';

/** A readable summary of a finished training run. */
export function formatTrainingResult(result: TrainingPipelineResult): string {
  const metrics = Object.entries(result.metrics).map(([name, value]) => {
    const production = result.production?.metrics[name as keyof typeof result.metrics];
    return `  ${name.padEnd(10)} ${value.toFixed(4)}${production === undefined ? '' : `   (production v${result.production!.version}: ${production.toFixed(4)})`}`;
  });
  return [
    `model ${result.modelName} version ${result.version} (dataset ${result.datasetId})`,
    'holdout metrics:',
    ...metrics,
    `promotion: ${result.promoted ? 'promoted to production' : 'not promoted'} (${result.decision.reason})`,
  ].join('\n');
}
