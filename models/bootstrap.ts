import { createRandom } from './random';

export interface BootstrapOptions {
  resamples?: number;
  /** Coverage of the interval. Default 0.95. */
  level?: number;
  seed?: number;
}

/**
 * Percentile bootstrap confidence interval of a metric over (label, score) pairs: resample rows with
 * replacement, recompute, take the central `level` share. Seeded, so an evaluation is reproducible.
 * Resamples where the metric is undefined (e.g. one class only) are skipped.
 */
export function bootstrapInterval(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  metric: (labels: number[], scores: number[]) => number,
  { resamples = 200, level = 0.95, seed = 0 }: BootstrapOptions = {},
): [number, number] {
  const random = createRandom(seed);
  const n = labels.length;
  const values: number[] = [];
  const sampleLabels = new Array<number>(n);
  const sampleScores = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const pick = random.int(n);
      sampleLabels[i] = labels[pick]!;
      sampleScores[i] = scores[pick]!;
    }
    const value = metric(sampleLabels, sampleScores);
    if (Number.isFinite(value)) values.push(value);
  }
  if (values.length === 0) return [NaN, NaN];
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))]!;
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}
