import type { TrainingPipelineResult } from '../workflows/training-pipeline';
import { formatTable } from './table';

/** A readable summary of a finished training run: holdout metrics beside production and the baselines. */
export function formatTrainingResult(result: TrainingPipelineResult): string {
  const f = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '' : value.toFixed(4));
  const interval = (name: string) => {
    const range = result.intervals[name as keyof TrainingPipelineResult['intervals']];
    return range ? `${f(range[0])}–${f(range[1])}` : '';
  };
  const rows = Object.entries(result.metrics).map(([name, value]) => {
    const metric = name as keyof TrainingPipelineResult['metrics'];
    return [name, f(value), interval(name), f(result.production?.metrics[metric]), f(result.baselines.logistic_regression[metric]), f(result.baselines.majority_class[metric])];
  });
  const production = result.production ? `production v${result.production.version}` : 'production';
  return [
    `model ${result.modelName} version ${result.version} (dataset ${result.datasetId}), holdout:`,
    formatTable(['metric', 'candidate', '95% CI', production, 'logistic', 'majority'], rows),
    ...(result.tuning
      ? [`tuning: ${result.tuning.completed} trials completed, ${result.tuning.pruned} pruned, ${result.tuning.failed} failed; best CV ${result.tuning.bestValue.toFixed(4)} (trial ${result.tuning.bestTrial}), refitted with ${result.tuning.bestRounds} rounds`]
      : []),
    `promotion: ${result.promoted ? 'promoted to production' : 'not promoted'} (${result.decision.reason})`,
  ].join('\n');
}
