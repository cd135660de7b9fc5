import {
  FOREST_OBJECTIVES, readForestModel, ForestEvaluator, treeDepth, treesToPredict, UnsupportedModelError, type ForestModel, type ForestTransform,
} from './forest-model';
import { floatMath } from './libm';

/** Options of `Forest.predict`, as `Booster.inplacePredict` takes them. */
export interface ForestPredictOptions {
  /** Raw margin instead of the objective's transform. */
  outputMargin?: boolean;
  /** Rounds [begin, end); `[0, 0]` (default) means all. Use `[0, forest.bestIteration + 1]` after early stopping. */
  iterationRange?: [number, number];
}

/**
 * XGBoost 1.7's tree prediction in TypeScript, for serving: no C call, so none of the per-call cost of
 * parsing a JSON config and an array interface inside libxgboost (≈ 15 µs), which dominates one-row requests.
 *
 * Exactness follows from doing what XGBoost's CPU predictor does, in float32: a feature goes left when
 * `value < split_condition` (both float32), a NaN takes the node's default direction, each tree's leaf is
 * added to the row's margin in tree order starting from the base margin, then the objective's transform.
 * The transforms call the C library's `expf`, as libxgboost does, so outputs are bit-identical too.
 *
 * Speed comes from walking four trees at once without branches: the next node is `left + (value >= split)`
 * (XGBoost keeps right = left + 1), leaves loop to themselves, and each group of four trees takes as many
 * steps as its deepest tree, so the CPU overlaps four independent walks instead of mispredicting one.
 *
 * @example
 * const forest = Forest.fromModel(booster.save('json'));   // UnsupportedModelError → use the booster
 * const [p] = forest.predict(new Float32Array(row), 1, row.length);
 */
export class Forest extends ForestEvaluator {
  /** Per node, 3 words: [feature << 1 | missing goes right, left child, split condition as float32]. */
  readonly #nodes: Int32Array;
  readonly #splits: Float32Array;
  readonly #leafValues: Float32Array;
  readonly #depths: Int32Array;
  /** One row as float64 plus a last slot of -Infinity that every leaf compares against (and stays put). */
  readonly #row: Float64Array;
  /** The current row's leaf value in each tree. */
  readonly #rowLeaves: Float32Array;

  private constructor(model: ForestModel) {
    super(model);
    const { feature, threshold, left, right, missing, numFeature } = model;
    const buffer = new ArrayBuffer(12 * feature.length);
    this.#nodes = new Int32Array(buffer);
    this.#splits = new Float32Array(buffer);
    this.#leafValues = new Float32Array(feature.length);
    for (let n = 0; n < feature.length; n++) {
      if (feature[n]! < 0) {
        // -Infinity >= +Infinity is false and the slot is never NaN: a leaf's step returns the leaf.
        this.#nodes[3 * n] = numFeature << 1;
        this.#nodes[3 * n + 1] = n;
        this.#splits[3 * n + 2] = Number.POSITIVE_INFINITY;
        this.#leafValues[n] = threshold[n]!;
        continue;
      }
      if (right[n] !== left[n]! + 1) throw new UnsupportedModelError(`node ${n}: right child ${right[n]} does not follow left child ${left[n]}`);
      this.#nodes[3 * n] = (feature[n]! << 1) | (missing[n] === right[n] ? 1 : 0);
      this.#nodes[3 * n + 1] = left[n]!;
      this.#splits[3 * n + 2] = threshold[n]!;
    }
    this.#depths = Int32Array.from(model.roots, (root) => treeDepth(model, root));
    this.#row = new Float64Array(numFeature + 1);
    this.#rowLeaves = new Float32Array(model.roots.length);
  }

  /** Reads a 1.7 JSON model; throws UnsupportedModelError (with the reason) for what it cannot reproduce. */
  static fromModel(json: Uint8Array | string): Forest {
    return Forest.fromForestModel(readForestModel(json));
  }

  /** From a model `readForestModel` has read (to share one read between evaluators). */
  static fromForestModel(model: ForestModel): Forest {
    return new Forest(model);
  }

  /** Predicts row-major float32 rows (NaN = missing): rows values, or rows × numGroups for multi-class. */
  predict(data: Float32Array, rows: number, cols: number, options: ForestPredictOptions = {}): Float32Array {
    const m = this.model;
    const [first, last] = treesToPredict(m, 'Forest.predict', data, rows, cols, options.iterationRange);
    const { numGroups, groups, baseMargin } = m;
    const out = new Float32Array(rows * numGroups).fill(baseMargin);
    const row = this.#row;
    row[cols] = Number.NEGATIVE_INFINITY;
    const leaves = this.#rowLeaves;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) row[c] = data[r * cols + c]!;
      this.#walkTrees(first, last);
      // float32 sums in tree order, as XGBoost's `float +=`: a local rounded after each add for one output,
      // the Float32Array slot of the tree's group (a store rounds the same way) for several.
      if (numGroups === 1) {
        let sum = baseMargin;
        for (let t = first; t < last; t++) sum = Math.fround(sum + leaves[t]!);
        out[r] = sum;
      } else {
        for (let t = first; t < last; t++) out[r * numGroups + groups[t]!] += leaves[t]!;
      }
    }
    if (options.outputMargin !== true) transform(out, FOREST_OBJECTIVES[m.objective], m.numGroups);
    return out;
  }

  /**
   * Writes the leaf value each of trees [first, last) gives the row in `#row` to `#rowLeaves`; walks four
   * trees at a time so their independent steps overlap.
   */
  #walkTrees(first: number, last: number): void {
    const roots = this.model.roots;
    const nodes = this.#nodes;
    const splits = this.#splits;
    const leaves = this.#leafValues;
    const depths = this.#depths;
    const row = this.#row;
    const out = this.#rowLeaves;
    let t = first;
    for (; t + 4 <= last; t += 4) {
      let a = roots[t]!;
      let b = roots[t + 1]!;
      let c = roots[t + 2]!;
      let d = roots[t + 3]!;
      for (let steps = Math.max(depths[t]!, depths[t + 1]!, depths[t + 2]!, depths[t + 3]!); steps > 0; steps--) {
        a = descend(nodes, splits, row, a);
        b = descend(nodes, splits, row, b);
        c = descend(nodes, splits, row, c);
        d = descend(nodes, splits, row, d);
      }
      out[t] = leaves[a]!;
      out[t + 1] = leaves[b]!;
      out[t + 2] = leaves[c]!;
      out[t + 3] = leaves[d]!;
    }
    for (; t < last; t++) {
      let a = roots[t]!;
      for (let steps = depths[t]!; steps > 0; steps--) a = descend(nodes, splits, row, a);
      out[t] = leaves[a]!;
    }
  }
}

/**
 * One step down without a branch: left child, +1 when `value >= split` (so NaN stays left), +1 more for a
 * NaN at a node whose missing values go right. Booleans add as 0/1.
 */
function descend(nodes: Int32Array, splits: Float32Array, row: Float64Array, n: number): number {
  const info = nodes[3 * n]!;
  const value = row[info >> 1]!;
  return nodes[3 * n + 1]! + +(value >= splits[3 * n + 2]!) + (+(value !== value) & info);
}

const fround = Math.fround;

/** The objective's PredTransform in XGBoost 1.7 (src/common/math.h), in place, float32 at every step. */
function transform(values: Float32Array, kind: ForestTransform, groups: number): void {
  const { expf } = floatMath();
  if (kind === 'sigmoid') {
    // 1 / (expf(min(-x, 88.7f)) + 1 + 1e-16f): the clamp keeps expf finite; the epsilon vanishes in float32.
    for (let i = 0; i < values.length; i++) values[i] = 1 / fround(expf(Math.min(-values[i]!, SIGMOID_CLAMP)) + 1);
  } else if (kind === 'exp') {
    for (let i = 0; i < values.length; i++) values[i] = expf(values[i]!);
  } else if (kind === 'softmax') {
    for (let start = 0; start < values.length; start += groups) softmax(values, start, start + groups, expf);
  }
}

const SIGMOID_CLAMP = fround(88.7);

/** common::Softmax: float max, float exps summed in a double, each divided by the sum as a float. */
function softmax(values: Float32Array, start: number, end: number, expf: (x: number) => number): void {
  let max = values[start]!;
  for (let i = start + 1; i < end; i++) max = Math.max(values[i]!, max);
  let sum = 0;
  for (let i = start; i < end; i++) {
    values[i] = expf(fround(values[i]! - max));
    sum += values[i]!;
  }
  const divisor = fround(sum);
  for (let i = start; i < end; i++) values[i] = values[i]! / divisor;
}
