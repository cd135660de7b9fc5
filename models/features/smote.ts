import { createRandom } from '../random';
import { sampleIndices } from './sample';
import type { Matrix } from './selection';

export interface SmoteOptions {
  /** Neighbours each synthetic row may interpolate toward. */
  k: number;
  seed: number;
  /** Per feature: interpolate (continuous) or copy from the base row (0/1 features: one-hot levels, missing indicators). */
  continuous: readonly boolean[];
}

export interface Oversampled extends Matrix {
  labels: Float32Array;
  syntheticRows: number;
}

/** Neighbours are searched among at most this many minority rows (a seeded sample), bounding the cost. */
const MAX_NEIGHBOUR_POOL = 5_000;

/**
 * SMOTE (Chawla et al., 2002): synthetic rows of the minority class until it matches the majority,
 * each between a random minority row and one of its k nearest minority neighbours (Euclidean on
 * standardised features, missing values skipped). Continuous features interpolate; 0/1 features and
 * missing values are copied from the base row. Call it on training rows (or a training fold) only:
 * the synthetic rows are the base rows' neighbours, so validation rows among them would leak.
 */
export function smote(matrix: Matrix, labels: Float32Array, { k, seed, continuous }: SmoteOptions): Oversampled {
  const { data, rows, cols } = matrix;
  const positives = labels.reduce((sum, y) => sum + y, 0);
  const minorityLabel = positives * 2 < rows ? 1 : 0;
  const minority = [...labels.keys()].filter((row) => labels[row] === minorityLabel);
  const synthetic = rows - 2 * minority.length;
  if (synthetic <= 0 || minority.length < 2) return { ...matrix, labels, syntheticRows: 0 };

  const random = createRandom(seed);
  const scale = featureScales(matrix);
  const pool = Array.from(sampleIndices(minority.length, MAX_NEIGHBOUR_POOL, random), (i) => minority[i]!);
  const neighbours = new Map<number, number[]>();
  const neighboursOf = (row: number) => {
    let found = neighbours.get(row);
    if (!found) {
      found = nearest(matrix, scale, row, pool, k);
      neighbours.set(row, found);
    }
    return found;
  };

  const out = new Float32Array((rows + synthetic) * cols);
  out.set(data);
  const outLabels = new Float32Array(rows + synthetic);
  outLabels.set(labels);
  for (let s = 0; s < synthetic; s++) {
    const base = minority[random.int(minority.length)]!;
    const near = neighboursOf(base);
    const other = near[random.int(near.length)]!;
    const gap = random.next();
    const at = (rows + s) * cols;
    for (let c = 0; c < cols; c++) {
      const a = data[base * cols + c]!;
      const b = data[other * cols + c]!;
      out[at + c] = continuous[c] && !Number.isNaN(a) && !Number.isNaN(b) ? a + gap * (b - a) : a;
    }
    outLabels[rows + s] = minorityLabel;
  }
  return { data: out, rows: rows + synthetic, cols, labels: outLabels, syntheticRows: synthetic };
}

/** 1 / standard deviation per feature (0 for a constant or empty one, which then does not count). */
function featureScales({ data, rows, cols }: Matrix): Float64Array {
  const scale = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let [count, sum, squares] = [0, 0, 0];
    for (let r = 0; r < rows; r++) {
      const x = data[r * cols + c]!;
      if (!Number.isNaN(x)) [count, sum, squares] = [count + 1, sum + x, squares + x * x];
    }
    const variance = count ? squares / count - (sum / count) ** 2 : 0;
    scale[c] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 0;
  }
  return scale;
}

/** The k rows of `pool` nearest to `row` (itself excluded), nearest first, ties by pool order. */
function nearest({ data, cols }: Matrix, scale: Float64Array, row: number, pool: readonly number[], k: number): number[] {
  // A sorted top-k kept by insertion: the pool is large, k small.
  const rows: number[] = [];
  const distances: number[] = [];
  for (const other of pool) {
    if (other === row) continue;
    let distance = 0;
    for (let c = 0; c < cols; c++) {
      const d = (data[row * cols + c]! - data[other * cols + c]!) * scale[c]!;
      if (!Number.isNaN(d)) distance += d * d;
    }
    if (rows.length === k && distance >= distances[k - 1]!) continue;
    let at = rows.length === k ? k - 1 : rows.length;
    while (at > 0 && distances[at - 1]! > distance) {
      rows[at] = rows[at - 1]!;
      distances[at] = distances[at - 1]!;
      at--;
    }
    rows[at] = other;
    distances[at] = distance;
  }
  return rows;
}
