import { stratifiedKFold } from '../cross-validation';
import type { FittedEncoderResult } from './encoders';
import { compareText } from './levels';

interface TargetSpec {
  column: string;
  folds: number;
  smoothing: number;
}

/** Positives and rows per level over some rows. */
function levelStats(values: ReadonlyArray<string | null>, labels: Float32Array, rows: Iterable<number>) {
  const stats = new Map<string, { positives: number; rows: number }>();
  let positives = 0;
  let count = 0;
  for (const row of rows) {
    positives += labels[row]!;
    count++;
    const level = values[row];
    if (level === null || level === undefined) continue;
    const entry = stats.get(level) ?? { positives: 0, rows: 0 };
    entry.positives += labels[row]!;
    entry.rows++;
    stats.set(level, entry);
  }
  return { stats, prior: count === 0 ? 0 : positives / count };
}

const smoothed = (positives: number, rows: number, prior: number, smoothing: number) => (positives + smoothing * prior) / (rows + smoothing);

/**
 * Target encoding: a level's positive rate smoothed toward the overall rate. The state holds the
 * statistics of all training rows (what every other row gets); each training row's own value is
 * computed out of fold — from the statistics of the other folds only — so no training row's feature
 * has seen its label, and the model does not learn to trust an encoding that memorised it.
 */
export function fitTargetEncoder(spec: TargetSpec, values: ReadonlyArray<string | null>, labels: Float32Array, seed: number): FittedEncoderResult {
  const all = Array.from(values.keys());
  const { stats, prior } = levelStats(values, labels, all);
  const levels = [...stats.keys()].sort(compareText);
  const rates = levels.map((level) => smoothed(stats.get(level)!.positives, stats.get(level)!.rows, prior, spec.smoothing));

  const outOfFold = new Float64Array(values.length);
  // Fewer rows than folds (a tiny dataset): one row per fold at most.
  const k = Math.min(spec.folds, values.length);
  const folds = k >= 2 ? stratifiedKFold(all, labels, k, seed) : [{ train: [], valid: all }];
  for (const fold of folds) {
    const other = levelStats(values, labels, fold.train);
    for (const row of fold.valid) {
      const level = values[row];
      const entry = level === null || level === undefined ? undefined : other.stats.get(level);
      outOfFold[row] = level === null ? NaN : entry ? smoothed(entry.positives, entry.rows, other.prior, spec.smoothing) : other.prior;
    }
  }
  return {
    encoder: { type: 'target', column: spec.column, levels, rates, prior, smoothing: spec.smoothing, folds: spec.folds },
    outOfFold,
  };
}
