import { createRandom } from '../random';
import type { SelectOptions } from './config';
import { sampleIndices } from './sample';

/** A dense row-major feature matrix. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Distinct values up to this many are bins of their own; more are cut into quantile bins. */
const MAX_EXACT_BINS = 32;
const QUANTILE_BINS = 16;

/**
 * Feature selection on the training matrix: a correlation filter (of each pair with |r| above the
 * threshold, the feature with less mutual information with the target goes; on a tie, the later one),
 * then mutual-information ranking (keep those with at least `min` nats, then the `top` best).
 * Statistics come from a seeded sample of at most `sampleRows` rows; for correlation, a missing value
 * counts as the feature's mean. Returns the dropped features' indices with the reason for each.
 */
export function selectFeatures(matrix: Matrix, labels: Float32Array, names: readonly string[], options: SelectOptions, seed: number): Map<number, string> {
  const sample = sampleIndices(matrix.rows, options.sampleRows, createRandom(seed));
  const y = Float32Array.from(sample, (row) => labels[row]!);
  const columns = Array.from({ length: matrix.cols }, (_, col) => Float64Array.from(sample, (row) => matrix.data[row * matrix.cols + col]!));
  const information = columns.map((column) => mutualInformation(column, y));
  const dropped = new Map<number, string>();

  if (options.correlation !== undefined) {
    for (const { a, b, r } of correlatedPairs(columns, options.correlation)) {
      if (dropped.has(a) || dropped.has(b)) continue;
      const [loser, winner] = information[b]! <= information[a]! ? [b, a] : [a, b];
      dropped.set(loser, `|r| = ${Math.abs(r).toFixed(3)} with ${names[winner]}, above ${options.correlation}`);
    }
  }
  if (options.mutualInfo) {
    const { min, top } = options.mutualInfo;
    const nats = (i: number) => `mutual information ${information[i]!.toFixed(4)} nats`;
    if (min !== undefined) {
      for (let i = 0; i < matrix.cols; i++) if (!dropped.has(i) && information[i]! < min) dropped.set(i, `${nats(i)}, below ${min}`);
    }
    if (top !== undefined) {
      const ranked = [...information.keys()].filter((i) => !dropped.has(i)).sort((a, b) => information[b]! - information[a]! || a - b);
      ranked.slice(top).forEach((i, k) => dropped.set(i, `${nats(i)}, ranked ${top + k + 1} of ${ranked.length}; top ${top} kept`));
    }
  }
  return dropped;
}

/** Pairs with |r| above the threshold, strongest first (ties in index order). */
function correlatedPairs(columns: Float64Array[], threshold: number): Array<{ a: number; b: number; r: number }> {
  const standardised = columns.map(standardise);
  const n = columns[0]?.length ?? 0;
  const pairs: Array<{ a: number; b: number; r: number }> = [];
  for (let a = 0; a < columns.length; a++) {
    const za = standardised[a];
    if (!za) continue;
    for (let b = a + 1; b < columns.length; b++) {
      const zb = standardised[b];
      if (!zb) continue;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += za[i]! * zb[i]!;
      const r = sum / n;
      if (Math.abs(r) > threshold) pairs.push({ a, b, r });
    }
  }
  return pairs.sort((p, q) => Math.abs(q.r) - Math.abs(p.r) || p.a - q.a || p.b - q.b);
}

/** (x − mean) / sd, missing as 0 (the mean); undefined for a constant column, which correlates with nothing. */
function standardise(column: Float64Array): Float64Array | undefined {
  let count = 0;
  let sum = 0;
  for (const x of column) if (!Number.isNaN(x)) [count, sum] = [count + 1, sum + x];
  if (count === 0) return undefined;
  const mean = sum / count;
  let squares = 0;
  for (const x of column) if (!Number.isNaN(x)) squares += (x - mean) ** 2;
  const sd = Math.sqrt(squares / count);
  if (!(sd > 0)) return undefined;
  return column.map((x) => (Number.isNaN(x) ? 0 : (x - mean) / sd));
}

/**
 * Mutual information (nats) between a feature and a 0/1 label: a feature with few distinct values is
 * read as categories, others in quantile bins; missing is a bin of its own.
 */
export function mutualInformation(values: Float64Array, labels: Float32Array): number {
  const { bins, count } = binsOf(values);
  const joint = new Float64Array(count * 2);
  for (let i = 0; i < values.length; i++) joint[bins[i]! * 2 + labels[i]!]!++;
  const n = values.length;
  let positives = 0;
  for (let b = 0; b < count; b++) positives += joint[b * 2 + 1]!;
  const py = [(n - positives) / n, positives / n];
  let information = 0;
  for (let b = 0; b < count; b++) {
    const pb = (joint[b * 2]! + joint[b * 2 + 1]!) / n;
    for (let y = 0; y < 2; y++) {
      const p = joint[b * 2 + y]! / n;
      if (p > 0) information += p * Math.log(p / (pb * py[y]!));
    }
  }
  return Math.max(0, information);
}

function binsOf(values: Float64Array): { bins: Int32Array; count: number } {
  const present = values.filter((x) => !Number.isNaN(x)).sort();
  const distinct: number[] = [];
  for (let i = 0; i < present.length && distinct.length <= MAX_EXACT_BINS; i++) if (i === 0 || present[i] !== present[i - 1]) distinct.push(present[i]!);
  // Bin 0 holds missing values; the others are value ranges whose upper bounds are `edges`.
  const edges = distinct.length <= MAX_EXACT_BINS ? distinct : [...new Set(Array.from({ length: QUANTILE_BINS }, (_, k) => present[Math.floor(((k + 1) * (present.length - 1)) / QUANTILE_BINS)]!))];
  const bins = values.map((x) => (Number.isNaN(x) ? 0 : 1 + upperBoundIndex(edges, x)));
  return { bins: Int32Array.from(bins), count: edges.length + 1 };
}

/** The first index whose edge is ≥ x (edges ascending; the last edge is the maximum). */
function upperBoundIndex(edges: readonly number[], x: number): number {
  let low = 0;
  let high = edges.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (edges[mid]! < x) low = mid + 1;
    else high = mid;
  }
  return low;
}
