import type { ForestPredictOptions } from './forest';
import {
  FOREST_OBJECTIVES, readForestModel, ForestEvaluator, treeDepth, treesToPredict, UnsupportedModelError, type ForestModel, type ForestTransform,
} from './forest-model';
import { nativeForestLibrary, type NativeForestLibrary } from './native-forest-library';

export interface NativeForestOptions {
  /** Path of the built evaluator; default `NATIVE_FOREST_LIBRARY` (what scripts/setup.sh builds). */
  library?: string;
}

export interface NativeForestPredictOptions extends ForestPredictOptions {
  /** Threads, each predicting a contiguous range of rows; default 1. The output does not depend on it. */
  nthread?: number;
}

/** forest.c's transform codes. */
const TRANSFORMS: Record<ForestTransform, number> = { identity: 0, sigmoid: 1, exp: 2, softmax: 3 };

/**
 * The largest node layout built. Complete trees double with each level: 200 trees of depth 6 take 200 KB,
 * 1,000 of depth 11 take 32 MiB; deeper models (lossguide without max_depth) are left to libxgboost.
 */
const MAX_LAYOUT_BYTES = 64 * 1024 * 1024;

/**
 * XGBoost 1.7's tree prediction in C (models/xgboost/native/forest.c, built by scripts/setup.sh), for
 * batches: the same exactness rules as `Forest` — float32 `value < split`, NaN to the default direction,
 * leaves summed in tree order from the base margin, the C library's `expf` — so margins and outputs are
 * bit-identical to libxgboost's, several times faster (16 walks in flight, complete trees laid out flat),
 * optionally on several threads.
 *
 * @example
 * const native = NativeForest.fromModel(booster.save('json')); // UnsupportedModelError / NativeForestUnavailableError → use the booster
 * const p = native.predict(data, rows, cols, { nthread: 2 });
 */
export class NativeForest extends ForestEvaluator {
  readonly #library: NativeForestLibrary;
  /** Per node, 2 words: [feature slot, split condition or leaf value as float32]; see forest.c. */
  readonly #nodes: Int32Array;
  readonly #depth: number;

  private constructor(model: ForestModel, library: NativeForestLibrary) {
    super(model);
    this.#library = library;
    [this.#nodes, this.#depth] = completeTrees(model);
  }

  /**
   * Reads a 1.7 JSON model. Throws UnsupportedModelError (with the reason) for what it cannot reproduce,
   * NativeForestUnavailableError when the built evaluator cannot be loaded.
   */
  static fromModel(json: Uint8Array | string, options: NativeForestOptions = {}): NativeForest {
    return NativeForest.fromForestModel(readForestModel(json), options);
  }

  /** From a model `readForestModel` has read (to share one read between evaluators). */
  static fromForestModel(model: ForestModel, options: NativeForestOptions = {}): NativeForest {
    return new NativeForest(model, nativeForestLibrary(options.library));
  }

  /** Predicts row-major float32 rows (NaN = missing): rows values, or rows × numGroups for multi-class. */
  predict(data: Float32Array, rows: number, cols: number, options: NativeForestPredictOptions = {}): Float32Array {
    const m = this.model;
    const [first, last] = treesToPredict(m, 'NativeForest.predict', data, rows, cols, options.iterationRange);
    const nthread = options.nthread ?? 1;
    if (!Number.isSafeInteger(nthread) || nthread < 1) throw new RangeError(`NativeForest.predict: nthread must be a positive integer, got ${nthread}`);
    const transform = options.outputMargin === true ? TRANSFORMS.identity : TRANSFORMS[FOREST_OBJECTIVES[m.objective]];
    const out = new Float32Array(rows * m.numGroups);
    const rc = this.#library.kiln_forest_predict(this.#nodes, this.#depth, m.groups, first, last, m.numGroups, m.baseMargin, transform, data, rows, cols, nthread, out);
    if (rc !== 0) throw new Error(`NativeForest.predict: kiln_forest_predict found no memory for a block of rows (${this.#library.path})`);
    return out;
  }
}

/**
 * Lays every tree out as a complete binary tree of the model's depth, level by level (children of i at
 * 2i + 1 and 2i + 2), as forest.c walks them: an inner node holds its feature slot (feature, or
 * numFeature + feature when missing values go right) and split; the last level holds the leaf values, a
 * leaf above it being repeated below itself. Checks what the C code trusts: features and groups in range,
 * splits it can express.
 */
function completeTrees(model: ForestModel): [Int32Array, number] {
  const { roots, groups, feature, threshold, left, right, missing, numFeature, numGroups } = model;
  const depth = roots.reduce((deepest, root) => Math.max(deepest, treeDepth(model, root)), 0);
  const treeNodes = 2 ** (depth + 1) - 1;
  const bytes = 8 * treeNodes * roots.length;
  if (bytes > MAX_LAYOUT_BYTES) {
    throw new UnsupportedModelError(`${roots.length} trees of depth ${depth} take ${(bytes / 2 ** 20).toFixed(0)} MiB as complete trees, over the native evaluator's ${MAX_LAYOUT_BYTES / 2 ** 20} MiB`);
  }
  const bad = groups.findIndex((group) => group < 0 || group >= numGroups);
  if (bad >= 0) throw new UnsupportedModelError(`tree ${bad} adds to output group ${groups[bad]}, outside the model's ${numGroups}`);
  const nodes = new Int32Array(2 * treeNodes * roots.length);
  const values = new Float32Array(nodes.buffer);
  roots.forEach((root, tree) => {
    const stack: Array<[node: number, position: number, level: number]> = [[root, 0, 0]];
    while (stack.length > 0) {
      const [node, position, level] = stack.pop()!;
      const at = 2 * (tree * treeNodes + position);
      if (feature[node]! < 0) {
        // The leaf's value on every last-level position below it (a contiguous run); the pseudo-splits in
        // between keep slot 0 and split 0, as either way leads to the same value.
        const span = 2 ** (depth - level);
        const first = 2 * (tree * treeNodes + (position + 1) * span - 1);
        for (let i = 0; i < span; i++) values[first + 2 * i + 1] = threshold[node]!;
        continue;
      }
      const split = threshold[node]!;
      const missingRight = missing[node] === right[node];
      if (feature[node]! >= numFeature) throw new UnsupportedModelError(`tree ${tree} splits on feature ${feature[node]}, past the model's ${numFeature}`);
      // Missing values become -Infinity for default-left nodes, which goes right at a split of -Infinity.
      if (split === Number.NEGATIVE_INFINITY && !missingRight) {
        throw new UnsupportedModelError(`tree ${tree} has a split condition of -Infinity with missing values going left, which the native evaluator cannot express`);
      }
      nodes[at] = feature[node]! + (missingRight ? numFeature : 0);
      values[at + 1] = split;
      stack.push([left[node]!, 2 * position + 1, level + 1], [right[node]!, 2 * position + 2, level + 1]);
    }
  });
  return [nodes, depth];
}
