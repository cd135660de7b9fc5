import { arrayInterfaceFor, inplaceProxy } from './dense-input';
import type { DMatrix } from './dmatrix';
import { parseEvalLine, type EvalScores } from './eval-log';
import { check, copyBytes, copyFloats, readShape, readStrings, xgb, type Out, type Ptr } from './library';
import { dumpTrees, featureImportance, type DumpOptions, type ImportanceType } from './model-inspect';
import { NativeHandle } from './native-handle';
import { paramPairs } from './params';
import { parseXGBoostParams, type XGBoostParams } from './params-schema';
import { dmatrixPredictConfig, inplacePredictConfig, type InplacePredictOptions, type PredictOptions } from './predict-config';

export interface BoosterOptions {
  /** Checked against `xgboostParamsSchema` before anything is created (InputError naming the parameter). */
  params?: XGBoostParams;
  /** Matrices the booster will train or evaluate on (XGBoost caches their predictions). */
  cache?: DMatrix[];
}

/** A prediction with its shape, e.g. `[rows]`, `[rows, classes]`, `[rows, features + 1]`. */
export interface ShapedPrediction {
  values: Float32Array;
  shape: number[];
}

export type ModelFormat = 'json' | 'ubj';

/**
 * A gradient-boosted model. Create one to train (`train()` does it for you), or load
 * one with `Booster.fromBuffer` / `Booster.fromFile`. Free with `dispose()` or `using`.
 *
 * @example
 * using booster = Booster.fromBuffer(fs.readFileSync('model.json'));
 * const p = booster.predict(dmat); // Float32Array of probabilities
 */
export class Booster implements Disposable {
  /** @internal native handle; other modules of this binding read `handle.ptr`. */
  readonly handle: NativeHandle;

  constructor(options: BoosterOptions = {}) {
    // Python sets validate_parameters after the user's params, so misspelt names warn.
    const params = parseXGBoostParams({ ...options.params, validate_parameters: options.params?.validate_parameters ?? true });
    const cache = options.cache ?? [];
    const out: Out<Ptr | null> = [null];
    const ptrs = cache.map((d) => d.handle.ptr);
    check('XGBoosterCreate', xgb().XGBoosterCreate(ptrs, ptrs.length, out));
    this.handle = new NativeHandle(this, out[0] as Ptr, 'XGBoosterFree', 'Booster');
    // As Python does: the model takes its feature names and types from the first cached
    // matrix that has them, so importance, dumps and saved models use real names.
    const named = cache.find((d) => d.featureNames.length > 0 || d.featureTypes.length > 0);
    if (named !== undefined) {
      this.#setStrInfo('feature_name', named.featureNames);
      this.#setStrInfo('feature_type', named.featureTypes);
    }
    this.#setParams(params);
  }

  /** Loads a model saved as JSON or UBJ bytes (or XGBoost's legacy binary format). */
  static fromBuffer(buf: Uint8Array): Booster {
    if (!(buf instanceof Uint8Array) || buf.length === 0) throw new TypeError('Booster.fromBuffer: expected non-empty bytes');
    const booster = new Booster();
    try {
      check('XGBoosterLoadModelFromBuffer', xgb().XGBoosterLoadModelFromBuffer(booster.handle.ptr, buf, buf.length));
    } catch (error) {
      booster.dispose();
      throw error;
    }
    return booster;
  }

  /** Loads a model file; format follows the content (JSON, UBJ, or legacy binary as the CLI writes). */
  static fromFile(path: string): Booster {
    const booster = new Booster();
    try {
      check('XGBoosterLoadModel', xgb().XGBoosterLoadModel(booster.handle.ptr, path));
    } catch (error) {
      booster.dispose();
      throw error;
    }
    return booster;
  }

  /** Sets parameters after checking them (InputError naming the parameter); eval_metric lists set each metric. */
  setParams(params: XGBoostParams): void {
    this.#setParams(parseXGBoostParams(params));
  }

  #setParams(params: XGBoostParams): void {
    const ptr = this.handle.ptr;
    for (const [name, value] of paramPairs(params)) {
      check('XGBoosterSetParam', xgb().XGBoosterSetParam(ptr, name, value));
    }
  }

  /** Runs one boosting round on `dtrain`. Invalid params surface here, as XGBoost configures lazily. */
  updateOneIter(iteration: number, dtrain: DMatrix): void {
    check('XGBoosterUpdateOneIter', xgb().XGBoosterUpdateOneIter(this.handle.ptr, iteration, dtrain.handle.ptr));
  }

  /** Evaluates the configured metrics; returns e.g. `{ train: { logloss: 0.41 } }`. */
  evalOneIter(iteration: number, evals: Array<[name: string, dmat: DMatrix]>): EvalScores {
    if (evals.length === 0) return {};
    const names = evals.map(([name]) => name);
    for (const name of names) {
      if (!/^[^\s:]+$/.test(name)) throw new Error(`eval set name ${JSON.stringify(name)} must be non-empty without whitespace or ':'`);
    }
    const ptrs = evals.map(([, d]) => d.handle.ptr);
    const out: Out<string | null> = [null];
    check('XGBoosterEvalOneIter', xgb().XGBoosterEvalOneIter(this.handle.ptr, iteration, ptrs, names, evals.length, out));
    return parseEvalLine(out[0] ?? '', names);
  }

  /** Predicts for every row of `dmat`; returns a copy (see `predictShaped` for the shape). */
  predict(dmat: DMatrix, options: PredictOptions = {}): Float32Array {
    return this.predictShaped(dmat, options).values;
  }

  /** Like `predict`, also returning XGBoost's output shape. */
  predictShaped(dmat: DMatrix, options: PredictOptions = {}): ShapedPrediction {
    const config = dmatrixPredictConfig(options);
    const shape: Out<Ptr | null> = [null];
    const dim: Out<number> = [0];
    const result: Out<Ptr | null> = [null];
    check('XGBoosterPredictFromDMatrix', xgb().XGBoosterPredictFromDMatrix(this.handle.ptr, dmat.handle.ptr, config, shape, dim, result));
    return toShaped(shape[0], dim[0], result[0]);
  }

  /**
   * Predicts straight from row-major float32 data (NaN = missing) without building a
   * DMatrix: the fast path for serving single rows.
   *
   * @example
   * const [p] = booster.inplacePredict(new Float32Array([0.3, NaN, 2]), 1, 3);
   */
  inplacePredict(data: Float32Array, rows: number, cols: number, options: InplacePredictOptions = {}): Float32Array {
    if (!(data instanceof Float32Array)) throw new TypeError('inplacePredict: data must be a Float32Array');
    if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows <= 0 || cols <= 0 || data.length !== rows * cols) {
      throw new RangeError(`inplacePredict: data has ${data.length} values, expected rows*cols = ${rows}*${cols} with both positive`);
    }
    const config = inplacePredictConfig(options);
    const ptr = this.handle.ptr;
    const shape: Out<Ptr | null> = [null];
    const dim: Out<number> = [0];
    const result: Out<Ptr | null> = [null];
    const proxy = inplaceProxy();
    const rc = xgb().XGBoosterPredictFromDense(ptr, arrayInterfaceFor(data, rows, cols), config, proxy, shape, dim, result);
    check('XGBoosterPredictFromDense', rc);
    return toShaped(shape[0], dim[0], result[0]).values;
  }

  /** The model as bytes: JSON (default) or UBJ; both load back bit-identically. */
  save(format: ModelFormat = 'json'): Buffer {
    if (format !== 'json' && format !== 'ubj') throw new RangeError(`save: format must be 'json' or 'ubj', got ${String(format)}`);
    const len: Out<number> = [0];
    const out: Out<Ptr | null> = [null];
    check('XGBoosterSaveModelToBuffer', xgb().XGBoosterSaveModelToBuffer(this.handle.ptr, `{"format":"${format}"}`, len, out));
    return copyBytes(out[0], len[0]);
  }

  /** Saves to a file; XGBoost picks the format from the extension (`.json`, `.ubj`; else legacy binary). */
  saveFile(path: string): void {
    check('XGBoosterSaveModel', xgb().XGBoosterSaveModel(this.handle.ptr, path));
  }

  /** The full training configuration as JSON text (XGBoosterSaveJsonConfig). */
  saveConfig(): string {
    const len: Out<number> = [0];
    const out: Out<Ptr | null> = [null];
    check('XGBoosterSaveJsonConfig', xgb().XGBoosterSaveJsonConfig(this.handle.ptr, len, out));
    return copyBytes(out[0], len[0]).toString('utf8');
  }

  /** Restores a configuration produced by `saveConfig`. */
  loadConfig(config: string): void {
    check('XGBoosterLoadJsonConfig', xgb().XGBoosterLoadJsonConfig(this.handle.ptr, config));
  }

  numFeatures(): number {
    const out: Out<number> = [0];
    check('XGBoosterGetNumFeature', xgb().XGBoosterGetNumFeature(this.handle.ptr, out));
    return out[0];
  }

  boostedRounds(): number {
    const out: Out<number> = [0];
    check('XGBoosterBoostedRounds', xgb().XGBoosterBoostedRounds(this.handle.ptr, out));
    return out[0];
  }

  /** A string attribute stored in the model (e.g. `best_iteration`), or undefined. */
  getAttr(key: string): string | undefined {
    const out: Out<string | null> = [null];
    const success: Out<number> = [0];
    check('XGBoosterGetAttr', xgb().XGBoosterGetAttr(this.handle.ptr, key, out, success));
    return success[0] !== 0 && out[0] !== null ? out[0] : undefined;
  }

  /** Stores a string attribute in the model; `undefined` deletes it. */
  setAttr(key: string, value: string | undefined): void {
    check('XGBoosterSetAttr', xgb().XGBoosterSetAttr(this.handle.ptr, key, value ?? null));
  }

  /** Feature importance by name (default 'weight': number of splits on the feature). */
  featureImportance(type: ImportanceType = 'weight'): Record<string, number> {
    return featureImportance(this.handle.ptr, type);
  }

  /** Every tree as a parsed JSON object (nodeid, split, split_condition, children, leaf, …). */
  dumpTrees(options: DumpOptions = {}): unknown[] {
    return dumpTrees(this.handle.ptr, options);
  }

  /** Feature names stored in the model; `[]` when it has none. */
  get featureNames(): string[] {
    return this.#getStrInfo('feature_name');
  }

  /** Feature types stored in the model (`q`, `c`, …); `[]` when it has none. */
  get featureTypes(): string[] {
    return this.#getStrInfo('feature_type');
  }

  get disposed(): boolean {
    return this.handle.disposed;
  }

  /** Frees the native model now; using it afterwards throws. Idempotent. */
  dispose(): void {
    this.handle.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #setStrInfo(field: string, values: string[]): void {
    const list = values.length > 0 ? values : null;
    check('XGBoosterSetStrFeatureInfo', xgb().XGBoosterSetStrFeatureInfo(this.handle.ptr, field, list, values.length));
  }

  #getStrInfo(field: string): string[] {
    const len: Out<number> = [0];
    const out: Out<Ptr | null> = [null];
    check('XGBoosterGetStrFeatureInfo', xgb().XGBoosterGetStrFeatureInfo(this.handle.ptr, field, len, out));
    return readStrings(out[0], len[0]);
  }
}

function toShaped(shapePtr: Ptr | null, dim: number, resultPtr: Ptr | null): ShapedPrediction {
  const shape = readShape(shapePtr, dim);
  const count = shape.reduce((a, b) => a * b, 1);
  return { values: copyFloats(resultPtr, count), shape };
}
