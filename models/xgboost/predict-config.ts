/** Options for `Booster.predict`. At most one of the output kinds may be set. */
export interface PredictOptions {
  /** Raw untransformed margin instead of probabilities. */
  outputMargin?: boolean;
  /** Use trees of rounds [begin, end); `[0, 0]` (default) means all. Use `[0, bestIteration + 1]` after early stopping. */
  iterationRange?: [number, number];
  /** Leaf index of each row in each tree: shape rows × trees. */
  predLeaf?: boolean;
  /** SHAP values: rows × (features + 1), last column the bias; each row sums to the margin. */
  predContribs?: boolean;
  /** SHAP interaction values: rows × (features + 1) × (features + 1). */
  predInteractions?: boolean;
  /** With predContribs/predInteractions: Saabas approximation instead of exact TreeSHAP. */
  approxContribs?: boolean;
  /** Prediction as seen during training (matters for dart dropout). Default false. */
  training?: boolean;
  /** Keep the class/group axis even when it has length 1. Default false. */
  strictShape?: boolean;
}

/** Options for `Booster.inplacePredict`. */
export interface InplacePredictOptions {
  outputMargin?: boolean;
  iterationRange?: [number, number];
  /** Value treated as missing besides NaN; default NaN. */
  missing?: number;
  strictShape?: boolean;
}

// Prediction kinds of XGBoosterPredictFromDMatrix's "type" field (c_api.h).
const TYPE_VALUE = 0;
const TYPE_MARGIN = 1;
const TYPE_CONTRIBS = 2;
const TYPE_APPROX_CONTRIBS = 3;
const TYPE_INTERACTIONS = 4;
const TYPE_APPROX_INTERACTIONS = 5;
const TYPE_LEAF = 6;

function predictType(options: PredictOptions): number {
  const kinds: number[] = [];
  if (options.outputMargin) kinds.push(TYPE_MARGIN);
  if (options.predContribs) kinds.push(options.approxContribs ? TYPE_APPROX_CONTRIBS : TYPE_CONTRIBS);
  if (options.predInteractions) kinds.push(options.approxContribs ? TYPE_APPROX_INTERACTIONS : TYPE_INTERACTIONS);
  if (options.predLeaf) kinds.push(TYPE_LEAF);
  if (kinds.length > 1) throw new Error('predict: choose one of outputMargin, predContribs, predInteractions, predLeaf');
  return kinds[0] ?? TYPE_VALUE;
}

/** Validates an iteration range: `[begin, end)` rounds, `[0, 0]` (or none) for all. */
export function iterationBounds(r: [number, number] | undefined): [number, number] {
  if (r === undefined) return [0, 0];
  const [begin, end] = r;
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < 0 || (end !== 0 && end <= begin)) {
    throw new RangeError(`iterationRange must be [begin, end) with 0 <= begin < end (or [0, 0] for all), got [${begin}, ${end}]`);
  }
  return [begin, end];
}

// Serving calls predict per request; building the same JSON each time is measurable at
// the microsecond scale, so configs are memoised by their inputs.
const cache = new Map<string, string>();

function memo(key: string, build: () => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    if (cache.size > 1024) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** The JSON config string for XGBoosterPredictFromDMatrix. */
export function dmatrixPredictConfig(options: PredictOptions): string {
  const type = predictType(options);
  const [begin, end] = iterationBounds(options.iterationRange);
  const training = options.training === true;
  const strict = options.strictShape === true;
  return memo(`d${type},${begin},${end},${training},${strict}`, () =>
    JSON.stringify({ type, training, iteration_begin: begin, iteration_end: end, strict_shape: strict }),
  );
}

/** The JSON config string for XGBoosterPredictFromDense (in-place prediction). */
export function inplacePredictConfig(options: InplacePredictOptions): string {
  const type = options.outputMargin ? TYPE_MARGIN : TYPE_VALUE;
  const [begin, end] = iterationBounds(options.iterationRange);
  const missing = options.missing ?? Number.NaN;
  if (!Number.isNaN(missing) && !Number.isFinite(missing)) throw new RangeError(`missing must be NaN or finite, got ${missing}`);
  const strict = options.strictShape === true;
  // JSON.stringify cannot write NaN; XGBoost's JSON reader accepts the bare token, as
  // Python's json.dumps emits it.
  const missingText = Number.isNaN(missing) ? 'NaN' : String(missing);
  return memo(`i${type},${begin},${end},${missingText},${strict}`, () =>
    `{"type":${type},"training":false,"iteration_begin":${begin},"iteration_end":${end},` +
    `"missing":${missingText},"strict_shape":${strict},"cache_id":0}`,
  );
}

/** The `__array_interface__` JSON describing a row-major float32 matrix at `address`. */
export function denseArrayInterface(address: bigint, rows: number, cols: number): string {
  return `{"data":[${address},true],"shape":[${rows},${cols}],"typestr":"<f4","version":3,"strides":null}`;
}
