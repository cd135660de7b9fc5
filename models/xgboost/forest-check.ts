import { createRandom } from '../random';
import type { Booster } from './booster';
import type { ForestEvaluator } from './forest-model';

/**
 * Rows that walk the model's decision boundaries: each value is one of the model's split conditions on
 * that feature (which goes right), the float32 just below one (which goes left), NaN (the default
 * direction) or ±Infinity — so a mismatch in comparisons, missing handling or float32 rounding shows up.
 */
export function probeRows(forest: ForestEvaluator, count: number, seed = 1): Float32Array {
  const random = createRandom(seed);
  const splits = forest.splitValues();
  const cols = forest.numFeature;
  const rows = new Float32Array(count * cols);
  for (let i = 0; i < rows.length; i++) {
    const values = splits[i % cols]!;
    const pick = random.next();
    if (pick < 0.1 || values.length === 0) rows[i] = Number.NaN;
    else if (pick < 0.12) rows[i] = random.next() < 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    else {
      const split = values[random.int(values.length)]!;
      rows[i] = pick < 0.56 ? split : nextBelow(split);
    }
  }
  return rows;
}

/** The largest float32 below `x` (x finite). */
function nextBelow(x: number): number {
  if (x === 0) return -1.401298464324817e-45; // the smallest negative float32
  const bits = new Int32Array(new Float32Array([x]).buffer);
  bits[0]! += x > 0 ? -1 : 1;
  return new Float32Array(bits.buffer)[0]!;
}

export interface ForestCheck {
  agrees: boolean;
  rows: number;
  /** What differed first, when they disagree. */
  difference?: string;
}

/**
 * Whether the forest predicts exactly what libxgboost predicts (margins and transformed values, bit for
 * bit) on `count` probe rows. The default 250 is 15 blocks of 16 rows and 10 rows left over, so both of
 * the native evaluator's walk shapes are compared.
 */
export function checkForest(forest: ForestEvaluator, booster: Booster, count = 250, seed = 1): ForestCheck {
  const cols = forest.numFeature;
  const rows = probeRows(forest, count, seed);
  for (const outputMargin of [true, false]) {
    const expected = booster.inplacePredict(rows, count, cols, { outputMargin });
    const actual = forest.predict(rows, count, cols, { outputMargin });
    for (let i = 0; i < expected.length; i++) {
      if (ulpDistance(expected[i]!, actual[i]!) !== 0) {
        const what = outputMargin ? 'margin' : 'prediction';
        return { agrees: false, rows: count, difference: `${what} ${i}: libxgboost ${expected[i]}, forest ${actual[i]}` };
      }
    }
  }
  return { agrees: true, rows: count };
}

/** How many float32 values apart a and b are (0 = identical bits; Infinity when either is NaN). */
function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  // Map sign-magnitude bits onto one monotonic integer line (-0 and +0 both land on 0).
  const order = (i: number) => (i < 0 ? -2147483648 - i : i);
  return Math.abs(order(bits[0]!) - order(bits[1]!));
}
