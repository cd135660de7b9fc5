import { check, readStrings, xgb, type Out, type Ptr } from './library';
import { NativeHandle } from './native-handle';

/** Per-feature type: `q` numeric (quantitative), `c` categorical, `int`, `float`, `i` indicator. */
export type FeatureType = 'q' | 'c' | 'int' | 'float' | 'i';

export interface DMatrixOptions {
  /** Value treated as missing besides NaN; default NaN (only NaN is missing). */
  missing?: number;
  labels?: Float32Array;
  weights?: Float32Array;
  /** Initial margin per row (per row × class for multiclass), added before the trees. */
  baseMargin?: Float32Array;
  featureNames?: string[];
  /** Use `'c'` for categorical columns (needs `tree_method` hist or approx). */
  featureTypes?: FeatureType[];
  /** Threads used to build the matrix; default 0 = all cores. */
  nthread?: number;
}

/**
 * XGBoost's data matrix. The native object copies the data, so the Float32Array may be
 * reused after construction. Free with `dispose()` or `using`.
 *
 * @example
 * using dtrain = DMatrix.fromDense(new Float32Array([1, NaN, 3, 4]), 2, 2, { labels: new Float32Array([0, 1]) });
 */
export class DMatrix implements Disposable {
  /** @internal native handle; other modules of this binding read `handle.ptr`. */
  readonly handle: NativeHandle;
  readonly rows: number;
  readonly cols: number;

  private constructor(ptr: Ptr) {
    this.handle = new NativeHandle(this, ptr, 'XGDMatrixFree', 'DMatrix');
    const out: Out<number> = [0];
    check('XGDMatrixNumRow', xgb().XGDMatrixNumRow(ptr, out));
    this.rows = out[0];
    check('XGDMatrixNumCol', xgb().XGDMatrixNumCol(ptr, out));
    this.cols = out[0];
  }

  /**
   * Builds a matrix from row-major float32 data where NaN marks a missing value.
   * Shapes, labels and weights are validated before any native call.
   */
  static fromDense(data: Float32Array, rows: number, cols: number, options: DMatrixOptions = {}): DMatrix {
    if (!(data instanceof Float32Array)) throw new TypeError('DMatrix.fromDense: data must be a Float32Array');
    assertCount('rows', rows);
    assertCount('cols', cols);
    if (data.length !== rows * cols) {
      throw new RangeError(`DMatrix.fromDense: data has ${data.length} values, expected rows*cols = ${rows}*${cols} = ${rows * cols}`);
    }
    if (options.labels !== undefined) assertRowInfo('labels', options.labels, rows);
    if (options.weights !== undefined) assertWeights(options.weights, rows);
    if (options.featureNames !== undefined) assertFeatureInfo('featureNames', options.featureNames, cols);
    if (options.featureTypes !== undefined) assertFeatureInfo('featureTypes', options.featureTypes, cols);
    const out: Out<Ptr | null> = [null];
    const missing = options.missing ?? Number.NaN;
    check('XGDMatrixCreateFromMat_omp', xgb().XGDMatrixCreateFromMat_omp(data, rows, cols, missing, out, options.nthread ?? 0));
    const dmat = new DMatrix(out[0] as Ptr);
    try {
      if (options.labels !== undefined) dmat.setLabels(options.labels);
      if (options.weights !== undefined) dmat.setWeights(options.weights);
      if (options.baseMargin !== undefined) dmat.setBaseMargin(options.baseMargin);
      if (options.featureNames !== undefined) dmat.featureNames = options.featureNames;
      if (options.featureTypes !== undefined) dmat.featureTypes = options.featureTypes;
    } catch (error) {
      dmat.dispose();
      throw error;
    }
    return dmat;
  }

  /** Sets one label per row; NaN labels are rejected (XGBoost would silently train on them). */
  setLabels(labels: Float32Array): void {
    assertRowInfo('labels', labels, this.rows);
    this.#setFloatInfo('label', labels);
  }

  /** Sets one non-negative instance weight per row. */
  setWeights(weights: Float32Array): void {
    assertWeights(weights, this.rows);
    this.#setFloatInfo('weight', weights);
  }

  /** Sets the base margin: `rows` values, or `rows × classes` (row-major) for multiclass. */
  setBaseMargin(margin: Float32Array): void {
    if (!(margin instanceof Float32Array)) throw new TypeError('baseMargin must be a Float32Array');
    if (margin.length === 0 || margin.length % this.rows !== 0) {
      throw new RangeError(`baseMargin has ${margin.length} values, expected a positive multiple of rows (${this.rows})`);
    }
    this.#setFloatInfo('base_margin', margin);
  }

  /** Column names; `[]` when none were set. */
  get featureNames(): string[] {
    return this.#getStrInfo('feature_name');
  }

  set featureNames(names: string[]) {
    assertFeatureInfo('featureNames', names, this.cols);
    if (new Set(names).size !== names.length) throw new Error('featureNames must be unique');
    this.#setStrInfo('feature_name', names);
  }

  /** Column types; `[]` when none were set. */
  get featureTypes(): FeatureType[] {
    return this.#getStrInfo('feature_type') as FeatureType[];
  }

  set featureTypes(types: FeatureType[]) {
    assertFeatureInfo('featureTypes', types, this.cols);
    this.#setStrInfo('feature_type', types);
  }

  /**
   * A new matrix with the given rows (in that order, repeats allowed), keeping labels,
   * weights, margins and feature info — the building block of CV folds. XGBoost copies
   * only the selected rows. Dispose the slice separately.
   */
  slice(rowIndices: ArrayLike<number>): DMatrix {
    const idx = Int32Array.from(rowIndices);
    if (idx.length === 0) throw new RangeError('DMatrix.slice: rowIndices is empty');
    for (const i of idx) {
      if (i < 0 || i >= this.rows) throw new RangeError(`DMatrix.slice: row index ${i} outside [0, ${this.rows})`);
    }
    const out: Out<Ptr | null> = [null];
    check('XGDMatrixSliceDMatrixEx', xgb().XGDMatrixSliceDMatrixEx(this.handle.ptr, idx, idx.length, out, 0));
    return new DMatrix(out[0] as Ptr);
  }

  get disposed(): boolean {
    return this.handle.disposed;
  }

  /** Frees the native matrix now; using it afterwards throws. Idempotent. */
  dispose(): void {
    this.handle.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #setFloatInfo(field: string, values: Float32Array): void {
    check('XGDMatrixSetFloatInfo', xgb().XGDMatrixSetFloatInfo(this.handle.ptr, field, values, values.length));
  }

  #setStrInfo(field: string, values: string[]): void {
    check('XGDMatrixSetStrFeatureInfo', xgb().XGDMatrixSetStrFeatureInfo(this.handle.ptr, field, values, values.length));
  }

  #getStrInfo(field: string): string[] {
    const len: Out<number> = [0];
    const out: Out<Ptr | null> = [null];
    check('XGDMatrixGetStrFeatureInfo', xgb().XGDMatrixGetStrFeatureInfo(this.handle.ptr, field, len, out));
    return readStrings(out[0], len[0]);
  }
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`DMatrix.fromDense: ${name} must be a positive integer, got ${value}`);
  }
}

function assertRowInfo(name: string, values: Float32Array, rows: number): void {
  if (!(values instanceof Float32Array)) throw new TypeError(`${name} must be a Float32Array`);
  if (values.length !== rows) throw new RangeError(`${name} has ${values.length} values, expected one per row (${rows})`);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`${name}[${bad}] is ${values[bad]}; ${name} must be finite numbers`);
}

function assertWeights(weights: Float32Array, rows: number): void {
  assertRowInfo('weights', weights, rows);
  const bad = weights.findIndex((v) => v < 0);
  if (bad >= 0) throw new RangeError(`weights[${bad}] is ${weights[bad]}; weights must be >= 0`);
}

function assertFeatureInfo(name: string, values: readonly string[], cols: number): void {
  if (!Array.isArray(values) || values.length !== cols) {
    throw new RangeError(`${name} has ${values?.length} entries, expected one per column (${cols})`);
  }
}
