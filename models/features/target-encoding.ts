import { createRandom, shuffleInPlace } from '../random';
import type { FittedEncoderResult } from './encoders';
import { compareText } from './levels';

interface TargetSpec {
  column: string;
  folds: number;
  smoothing: number;
}

const smoothed = (positives: number, rows: number, prior: number, smoothing: number) => (positives + smoothing * prior) / (rows + smoothing);

/**
 * Target encoding: a level's positive rate smoothed toward the overall rate. The state holds the
 * statistics of all training rows (what every other row gets); each training row's own value is
 * computed out of fold — from the statistics of the other folds only — so no training row's feature
 * has seen its label, and the model does not learn to trust an encoding that memorised it.
 */
export function fitTargetEncoder(spec: TargetSpec, values: ReadonlyArray<string | null>, labels: Float32Array, seed: number): FittedEncoderResult {
  // Fewer rows than folds (a tiny dataset): one row per fold at most.
  const k = Math.max(1, Math.min(spec.folds, values.length));
  const fold = foldIds(labels, k, seed);
  // Per level, and overall: positives and rows of each fold, then their totals in the last two slots.
  const width = 2 * (k + 1);
  const overall = new Float64Array(width);
  const byLevel = new Map<string, Float64Array>();
  for (let row = 0; row < values.length; row++) {
    const f = fold[row]!;
    const y = labels[row]!;
    overall[2 * f] += y;
    overall[2 * f + 1]++;
    const level = values[row];
    if (level === null || level === undefined) continue;
    let stats = byLevel.get(level);
    if (!stats) byLevel.set(level, (stats = new Float64Array(width)));
    stats[2 * f] += y;
    stats[2 * f + 1]++;
  }
  for (const stats of [overall, ...byLevel.values()]) {
    for (let f = 0; f < k; f++) [stats[2 * k], stats[2 * k + 1]] = [stats[2 * k]! + stats[2 * f]!, stats[2 * k + 1]! + stats[2 * f + 1]!];
  }
  const prior = overall[2 * k + 1] ? overall[2 * k]! / overall[2 * k + 1]! : 0;
  const levels = [...byLevel.keys()].sort(compareText);
  const rates = levels.map((level) => smoothed(byLevel.get(level)![2 * k]!, byLevel.get(level)![2 * k + 1]!, prior, spec.smoothing));

  // Out of fold: all rows' statistics minus the row's own fold's.
  const foldPriors = Array.from({ length: k }, (_, f) => {
    const rows = overall[2 * k + 1]! - overall[2 * f + 1]!;
    return rows > 0 ? (overall[2 * k]! - overall[2 * f]!) / rows : prior;
  });
  const outOfFold = new Float64Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const level = values[row];
    if (level === null || level === undefined) {
      outOfFold[row] = NaN;
      continue;
    }
    const f = fold[row]!;
    const stats = byLevel.get(level)!;
    const rows = stats[2 * k + 1]! - stats[2 * f + 1]!;
    outOfFold[row] = rows > 0 ? smoothed(stats[2 * k]! - stats[2 * f]!, rows, foldPriors[f]!, spec.smoothing) : foldPriors[f]!;
  }
  return {
    encoder: { type: 'target', column: spec.column, levels, rates, prior, smoothing: spec.smoothing, folds: spec.folds },
    outOfFold,
  };
}

/**
 * Each row's fold, dealt as models/cross-validation's stratifiedKFold deals them (per class in
 * ascending order, after a seeded shuffle, round-robin), as an array of fold ids: its lists of rows
 * per fold cost seconds on a million rows, and here one pass over the rows does.
 */
function foldIds(labels: Float32Array, k: number, seed: number): Int32Array {
  const random = createRandom(seed);
  const ids = new Int32Array(labels.length);
  let next = 0;
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let row = 0; row < labels.length; row++) if (labels[row] === label) members.push(row);
    for (const row of shuffleInPlace(members, random)) ids[row] = next++ % k;
  }
  return ids;
}
