// The models and assertions the forest evaluators' tests share (forest.test.ts, native-forest.test.ts).
import assert from 'node:assert/strict';
import { Booster, DMatrix, probeRows, train, type ForestEvaluator, type XGBoostParams } from '../../models/xgboost';
import { binaryData, rng } from './synthetic';

export const COLS = 12;
export const TRAIN = binaryData(2000, COLS, 7, 0.15);
// held-out rows with more missing values than training saw, plus the model's own split points
export const TEST = binaryData(1500, COLS, 8, 0.25);

/** Float32 values apart (0 = same number; -0 and +0 count as the same). */
export function ulps(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  const order = (i: number) => (i < 0 ? -2147483648 - i : i);
  return Math.abs(order(bits[0]!) - order(bits[1]!));
}

/** Asserts that two predictions are the same numbers, naming the first that differs. */
export function assertSameValues(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (ulps(expected[i]!, actual[i]!) !== 0) assert.fail(`${what} ${i}: libxgboost ${expected[i]}, evaluator ${actual[i]}`);
  }
}

/** Asserts bit-identical margins and values on held-out and probe rows. */
export function assertReproduces(booster: Booster, evaluator: ForestEvaluator, iterationRange?: [number, number]): void {
  const probes = probeRows(evaluator, 1500, 3);
  for (const [data, rows] of [[TEST.data, TEST.rows], [probes, 1500]] as const) {
    for (const outputMargin of [true, false]) {
      const options = { outputMargin, iterationRange };
      assertSameValues(evaluator.predict(data, rows, COLS, options), booster.inplacePredict(data, rows, COLS, options), outputMargin ? 'margin' : 'value');
    }
  }
}

export function trainOn(params: XGBoostParams, rounds: number, labels: Float32Array = TRAIN.labels): Booster {
  using dtrain = DMatrix.fromDense(TRAIN.data, TRAIN.rows, COLS, { labels });
  return train({ params: { nthread: 1, seed: 1, ...params }, dtrain, rounds }).booster;
}

const next = rng(5);
const regression = Float32Array.from(TRAIN.labels, (y, i) => y * 3 + (TRAIN.data[i * COLS] || 0) * 2 + next());
const counts = Float32Array.from(TRAIN.labels, (y, i) => y * 3 + (i % 4));

/** Every kind of model the evaluators reproduce. */
export const MODELS: Array<{ name: string; params: XGBoostParams; rounds: number; labels?: Float32Array }> = [
  { name: 'binary:logistic, hist, depth 1', params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 1 }, rounds: 60 },
  { name: 'binary:logistic, hist, depth 6', params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 6 }, rounds: 120 },
  { name: 'binary:logistic, exact, depth 10', params: { objective: 'binary:logistic', tree_method: 'exact', max_depth: 10 }, rounds: 40 },
  { name: 'binary:logistic, approx, depth 3, base_score 0.3', params: { objective: 'binary:logistic', tree_method: 'approx', max_depth: 3, base_score: 0.3 }, rounds: 20 },
  { name: 'binary:logistic, lossguide, unlimited depth', params: { objective: 'binary:logistic', tree_method: 'hist', grow_policy: 'lossguide', max_depth: 0, max_leaves: 48 }, rounds: 30 },
  { name: 'binary:logistic, random forest (3 parallel trees)', params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 5, num_parallel_tree: 3, subsample: 0.7, colsample_bynode: 0.7 }, rounds: 10 },
  { name: 'reg:logistic', params: { objective: 'reg:logistic', max_depth: 4 }, rounds: 30 },
  { name: 'binary:logitraw', params: { objective: 'binary:logitraw', max_depth: 4 }, rounds: 30 },
  { name: 'reg:squarederror, hist, depth 6', params: { objective: 'reg:squarederror', tree_method: 'hist', max_depth: 6 }, rounds: 100, labels: regression },
  { name: 'reg:squarederror, exact, depth 8, base_score 2.5', params: { objective: 'reg:squarederror', tree_method: 'exact', max_depth: 8, base_score: 2.5 }, rounds: 30, labels: regression },
  { name: 'reg:absoluteerror', params: { objective: 'reg:absoluteerror', max_depth: 4 }, rounds: 30, labels: regression },
  { name: 'count:poisson', params: { objective: 'count:poisson', max_depth: 4 }, rounds: 50, labels: counts },
  { name: 'reg:gamma', params: { objective: 'reg:gamma', max_depth: 4 }, rounds: 50, labels: Float32Array.from(counts, (c) => c + 1) },
  { name: 'reg:tweedie', params: { objective: 'reg:tweedie', max_depth: 4 }, rounds: 50, labels: counts },
  { name: 'multi:softprob, 4 classes', params: { objective: 'multi:softprob', num_class: 4, tree_method: 'hist', max_depth: 5 }, rounds: 30, labels: Float32Array.from(counts, (c) => c % 4) },
];
