import type { ForestPredictOptions } from './forest';
import { floatMath } from './libm';
import { iterationBounds } from './predict-config';

/** Why the forest evaluator cannot reproduce a model; the caller predicts with libxgboost instead. */
export class UnsupportedModelError extends Error {
  override readonly name = 'UnsupportedModelError';
}

/** Objectives the evaluator reproduces, with the transform XGBoost 1.7 applies to the margin. */
export const FOREST_OBJECTIVES = {
  'binary:logistic': 'sigmoid',
  'reg:logistic': 'sigmoid',
  'binary:logitraw': 'identity',
  'reg:squarederror': 'identity',
  'reg:absoluteerror': 'identity',
  'count:poisson': 'exp',
  'reg:gamma': 'exp',
  'reg:tweedie': 'exp',
  'multi:softprob': 'softmax',
} as const;
export type ForestObjective = keyof typeof FOREST_OBJECTIVES;
export type ForestTransform = (typeof FOREST_OBJECTIVES)[ForestObjective];

/**
 * A tree ensemble as flat typed arrays: node `n` of every tree lives at one global index, so a row walks
 * `feature`, `threshold` and the child arrays without touching an object.
 */
export interface ForestModel {
  objective: ForestObjective;
  numFeature: number;
  /** Outputs per row: num_class for multi-class, else 1. */
  numGroups: number;
  /** Trees per boosting round: num_parallel_tree × numGroups. */
  treesPerRound: number;
  /** The margin every row starts from (base_score through the objective's link), a float32. */
  baseMargin: number;
  /** The `best_iteration` attribute early stopping stored, if any. */
  bestIteration: number | undefined;
  /** Root node of each tree, in XGBoost's tree order. */
  roots: Int32Array;
  /** Output group (class) of each tree. */
  groups: Int32Array;
  /** Split feature of each node; -1 marks a leaf. */
  feature: Int32Array;
  /** Split condition (float32) of each inner node; the leaf value of each leaf. */
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Child taken when the feature is missing (NaN): XGBoost's default_left. */
  missing: Int32Array;
}

interface TreeJson {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
  split_type?: number[];
}

/**
 * Reads a model saved by XGBoost 1.7 as JSON (`booster.save('json')`). Throws UnsupportedModelError with
 * the reason for anything it does not reproduce exactly: other versions, dart and gblinear boosters,
 * categorical splits, vector leaves, other objectives.
 */
export function readForestModel(json: Uint8Array | string): ForestModel {
  try {
    return readModel(json);
  } catch (error) {
    if (error instanceof UnsupportedModelError) throw error;
    throw new UnsupportedModelError(`model JSON is not an XGBoost model: ${(error as Error).message}`);
  }
}

function readModel(json: Uint8Array | string): ForestModel {
  const text = typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    // XGBoost writes bare NaN split conditions for categorical splits, which JSON.parse refuses.
    throw new UnsupportedModelError('model is not standard JSON (XGBoost writes NaN for categorical splits; UBJ is not read)');
  }
  const version: unknown = doc?.version;
  if (!Array.isArray(version) || version[0] !== 1 || version[1] !== 7) {
    throw new UnsupportedModelError(`model JSON from XGBoost ${Array.isArray(version) ? version.join('.') : '(unknown)'}; the evaluator reproduces 1.7 (load it into a Booster and save it again)`);
  }
  const learner = doc.learner;
  const booster = learner?.gradient_booster;
  if (booster?.name !== 'gbtree') throw new UnsupportedModelError(`booster ${booster?.name} is not evaluated (only gbtree)`);
  const objective = learner.objective?.name as string;
  if (!(objective in FOREST_OBJECTIVES)) throw new UnsupportedModelError(`objective ${objective} is not evaluated (only ${Object.keys(FOREST_OBJECTIVES).join(', ')})`);
  const param = learner.learner_model_param;
  if (Number(param.num_target ?? 1) !== 1) throw new UnsupportedModelError('multi-target models are not evaluated');
  const model = booster.model;
  const trees = model.trees as TreeJson[];
  const treeInfo = model.tree_info as number[];
  if (Number(model.gbtree_model_param.size_leaf_vector) !== 0) throw new UnsupportedModelError('vector leaves are not evaluated');

  const numGroups = Math.max(1, Number(param.num_class));
  const total = trees.reduce((sum, tree) => sum + tree.left_children.length, 0);
  const forest: ForestModel = {
    objective: objective as ForestObjective,
    numFeature: Number(param.num_feature),
    numGroups,
    treesPerRound: Number(model.gbtree_model_param.num_parallel_tree) * numGroups,
    baseMargin: baseMargin(objective as ForestObjective, Number(param.base_score)),
    bestIteration: learner.attributes?.best_iteration === undefined ? undefined : Number(learner.attributes.best_iteration),
    roots: new Int32Array(trees.length),
    groups: Int32Array.from(treeInfo),
    feature: new Int32Array(total),
    threshold: new Float32Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    missing: new Int32Array(total),
  };
  let at = 0;
  trees.forEach((tree, t) => {
    if (tree.split_type?.some((type) => type !== 0)) throw new UnsupportedModelError(`tree ${t} has categorical splits`);
    forest.roots[t] = at;
    tree.left_children.forEach((left, node) => {
      const i = at + node;
      // Float32Array stores round to float32, as XGBoost holds split conditions and leaf values.
      forest.threshold[i] = tree.split_conditions[node]!;
      if (left === -1) {
        forest.feature[i] = -1;
        return;
      }
      forest.feature[i] = tree.split_indices[node]!;
      forest.left[i] = at + left;
      forest.right[i] = at + tree.right_children[node]!;
      forest.missing[i] = tree.default_left[node] ? forest.left[i]! : forest.right[i]!;
    });
    at += tree.left_children.length;
  });
  if (forest.groups.length !== trees.length || forest.treesPerRound < 1 || trees.length % forest.treesPerRound !== 0) {
    throw new UnsupportedModelError(`tree count ${trees.length} does not fit ${forest.treesPerRound} trees per round`);
  }
  return forest;
}

/**
 * base_score as the margin the trees add to: XGBoost 1.7's ProbToMargin, in float32 — logit for the
 * logistic objectives, log for the log-link ones, as it is for the rest (binary:logitraw and multi-class
 * keep 0.5).
 */
function baseMargin(objective: ForestObjective, baseScore: number): number {
  const { logf } = floatMath();
  const score = Math.fround(baseScore);
  if (objective === 'binary:logistic' || objective === 'reg:logistic') return -logf(Math.fround(Math.fround(1 / score) - 1));
  if (FOREST_OBJECTIVES[objective] === 'exp') return logf(score);
  return score;
}

/** Levels below `root` on the longest path (0 for a lone leaf); iterative, as lossguide trees can be deep. */
export function treeDepth({ feature, left, right }: ForestModel, root: number): number {
  let deepest = 0;
  const stack: Array<[number, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (feature[node]! < 0) deepest = Math.max(deepest, depth);
    else stack.push([left[node]!, depth + 1], [right[node]!, depth + 1]);
  }
  return deepest;
}

/** The distinct split conditions on each feature: the values where a prediction's path changes. */
export function splitValues({ feature, threshold, numFeature }: ForestModel): Float32Array[] {
  const byFeature: number[][] = Array.from({ length: numFeature }, () => []);
  feature.forEach((f, node) => {
    if (f >= 0) byFeature[f]!.push(threshold[node]!);
  });
  return byFeature.map((values) => Float32Array.from(new Set(values)).sort());
}

/**
 * Checks a prediction's input against the model (TypeError or RangeError, naming `caller`) and returns the
 * trees [first, last) that `iterationRange` (rounds, `[0, 0]` or none for all) selects.
 */
export function treesToPredict(model: ForestModel, caller: string, data: Float32Array, rows: number, cols: number, iterationRange?: [number, number]): [number, number] {
  if (!(data instanceof Float32Array)) throw new TypeError(`${caller}: data must be a Float32Array`);
  if (!Number.isSafeInteger(rows) || rows <= 0 || cols !== model.numFeature || data.length !== rows * cols) {
    throw new RangeError(`${caller}: data has ${data.length} values, expected rows*cols with ${model.numFeature} columns (the model's features) and rows > 0; got ${rows}*${cols}`);
  }
  const [begin, end] = iterationBounds(iterationRange);
  const rounds = model.roots.length / model.treesPerRound;
  if (end > rounds) throw new RangeError(`${caller}: iterationRange end ${end} is past the model's ${rounds} rounds`);
  return [begin * model.treesPerRound, end === 0 ? model.roots.length : end * model.treesPerRound];
}

/** What both evaluators (`Forest`, `NativeForest`) tell about the model they predict with, and their prediction. */
export abstract class ForestEvaluator {
  protected constructor(protected readonly model: ForestModel) {}

  get numFeature(): number {
    return this.model.numFeature;
  }

  /** Values per row in the output: num_class for multi-class models, else 1. */
  get numGroups(): number {
    return this.model.numGroups;
  }

  get rounds(): number {
    return this.model.roots.length / this.model.treesPerRound;
  }

  get bestIteration(): number | undefined {
    return this.model.bestIteration;
  }

  /** The distinct split conditions on each feature: the values where a prediction's path changes. */
  splitValues(): Float32Array[] {
    return splitValues(this.model);
  }

  /** Predicts row-major float32 rows (NaN = missing): rows values, or rows × numGroups for multi-class. */
  abstract predict(data: Float32Array, rows: number, cols: number, options?: ForestPredictOptions): Float32Array;
}
