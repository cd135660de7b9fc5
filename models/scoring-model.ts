import { InputError } from '../lib/errors';
import {
  Booster, checkForest, DMatrix, Forest, NativeForest, NativeForestUnavailableError, readForestModel, UnsupportedModelError,
  type ForestEvaluator, type ForestModel,
} from './xgboost';
import { FeaturePipeline, type FeaturePipelineState } from './features/feature-pipeline';
import type { RawRecord } from './features/raw-values';

/** One raw input column's share of a prediction, in margin (log-odds) units. */
export interface ColumnContribution {
  column: string;
  contribution: number;
}

/** Why a record got its score: `bias + Σ contributions over all columns = margin` (log-odds). */
export interface RecordExplanation {
  /** The model's expected margin (SHAP's bias term), the same for every record. */
  bias: number;
  /** The columns with the largest |contribution|, largest first (ties by column name). */
  contributions: ColumnContribution[];
}

/** Where ScoringModel reports that it serves through libxgboost alone (pino's `warn(details, message)` fits). */
export interface ScoringLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface ScoringModelOptions {
  /** Default: `process.emitWarning`. */
  logger?: ScoringLogger;
  /** The model as XGBoost JSON when the caller holds it (a saved artifact); default: saved from the booster. */
  modelJson?: Uint8Array;
  /** Path of the native forest evaluator; default `NATIVE_FOREST_LIBRARY`, which scripts/setup.sh builds. */
  nativeForestLibrary?: string;
}

/**
 * Without the native evaluator, requests of fewer records than this are scored by the TypeScript forest,
 * larger ones by libxgboost: below it libxgboost's fixed cost per call (≈ 15 µs of config and array
 * parsing) dominates; above it libxgboost's per-row traversal is the faster. Measured by
 * `bench/xgboost-bench.ts` (batch-size table), where the native evaluator beats both at every size.
 */
export const FOREST_MAX_ROWS = 16;

const emitWarning: ScoringLogger = {
  warn: (details, message) => process.emitWarning(`${message} ${JSON.stringify(details)}`),
};

/**
 * A model version ready to score raw records: the fitted feature pipeline and the booster, together.
 * Evaluation and the API both score through this class, so they cannot disagree.
 *
 * Requests are scored by `NativeForest` (XGBoost's prediction reproduced in C, several times faster than
 * libxgboost at every size) once a check at load has shown it predicts what libxgboost predicts. If it is
 * not built, small requests go to `Forest` (the same in TypeScript) under the same check. Models neither
 * reproduces, and any disagreement, leave requests on libxgboost, with a warning.
 */
export class ScoringModel implements Disposable {
  readonly pipeline: FeaturePipeline;
  /** The native evaluator, when it is built and reproduces this model: it scores every request. */
  readonly nativeForest: NativeForest | undefined;
  /** The TypeScript evaluator, when the native one is not there and it reproduces this model: it scores small requests. */
  readonly forest: Forest | undefined;

  constructor(readonly booster: Booster, pipelineState: FeaturePipelineState, options: ScoringModelOptions = {}) {
    this.pipeline = new FeaturePipeline(pipelineState);
    // One thread per prediction: requests are small, and an OpenMP team would wait for a core that the
    // event loop or other requests hold, which multiplies latency under load.
    booster.setParams({ nthread: 1 });
    const logger = options.logger ?? emitWarning;
    const model = readModel(options.modelJson ?? booster.save('json'), logger);
    if (model === undefined) return;
    const library = options.nativeForestLibrary;
    this.nativeForest = verified('native forest evaluator', () => NativeForest.fromForestModel(model, { library }), booster, logger,
      'scoring small requests with the TypeScript forest and larger ones with libxgboost');
    if (this.nativeForest !== undefined) return;
    this.forest = verified('forest evaluator', () => Forest.fromForestModel(model), booster, logger, 'scoring with libxgboost');
  }

  /** Loads JSON or UBJ model bytes; JSON bytes also feed the forest evaluators, so the check compares the artifact itself with libxgboost. */
  static fromBytes(modelBytes: Uint8Array, pipelineState: FeaturePipelineState, options: ScoringModelOptions = {}): ScoringModel {
    const modelJson = isJsonObject(modelBytes) ? modelBytes : undefined;
    return new ScoringModel(Booster.fromBuffer(modelBytes), pipelineState, { modelJson, ...options });
  }

  /**
   * Probability of the positive class for each record; throws InputError naming a bad field.
   * Scored by the native evaluator on this thread; without it, few records go through the TypeScript
   * forest and many through libxgboost's in-place prediction (no DMatrix).
   */
  predict(records: RawRecord[]): Float32Array {
    const features = this.pipeline.transform(records);
    const cols = this.pipeline.featureCount;
    if (this.nativeForest !== undefined) return this.nativeForest.predict(features, records.length, cols);
    if (this.forest !== undefined && records.length < FOREST_MAX_ROWS) return this.forest.predict(features, records.length, cols);
    return this.booster.inplacePredict(features, records.length, cols);
  }

  /**
   * Per record, the `top` raw input columns that moved its score most: XGBoost's exact TreeSHAP values
   * (pred_contribs) summed over the model features each column produces (one-hot levels add up to
   * their column), so a reader sees "Contract", not "Contract=Month-to-month".
   *
   * @example
   * model.explain([record], 3)
   * // [{ bias: -1.2, contributions: [{ column: 'Contract', contribution: 0.9 }, { column: 'tenure', contribution: 0.7 }, …] }]
   */
  explain(records: RawRecord[], top = 5): RecordExplanation[] {
    if (!Number.isSafeInteger(top) || top < 1) throw new InputError(`top: must be a positive integer, got ${top}`, { field: 'top' });
    if (records.length === 0) return [];
    const cols = this.pipeline.featureCount;
    using dmat = DMatrix.fromDense(this.pipeline.transform(records), records.length, cols, { nthread: 1 });
    const shap = this.booster.predict(dmat, { predContribs: true });
    const sources = this.pipeline.featureSources;
    const columns = [...new Set(sources)];
    const columnOf = sources.map((source) => columns.indexOf(source));
    return records.map((_, row) => {
      const at = row * (cols + 1);
      const sums = new Float64Array(columns.length);
      for (let feature = 0; feature < cols; feature++) sums[columnOf[feature]!]! += shap[at + feature]!;
      const contributions = columns
        .map((column, i) => ({ column, contribution: sums[i]! }))
        .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0))
        .slice(0, top);
      return { bias: shap[at + cols]!, contributions };
    });
  }

  dispose(): void {
    this.booster.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** The model as the forest evaluators read it; undefined (and a warning) when they cannot reproduce it. */
function readModel(modelJson: Uint8Array, logger: ScoringLogger): ForestModel | undefined {
  try {
    return readForestModel(modelJson);
  } catch (error) {
    if (!(error instanceof UnsupportedModelError)) throw error;
    logger.warn({ reason: error.message }, 'forest evaluator cannot reproduce this model; scoring with libxgboost');
    return undefined;
  }
}

/** The evaluator `build` makes if it reproduces libxgboost on probe rows; undefined (and a warning naming `fallback`) otherwise. */
function verified<T extends ForestEvaluator>(name: string, build: () => T, booster: Booster, logger: ScoringLogger, fallback: string): T | undefined {
  let evaluator: T;
  try {
    evaluator = build();
  } catch (error) {
    if (!(error instanceof UnsupportedModelError || error instanceof NativeForestUnavailableError)) throw error;
    const problem = error instanceof UnsupportedModelError ? 'cannot reproduce this model' : 'is not available';
    logger.warn({ reason: error.message }, `${name} ${problem}; ${fallback}`);
    return undefined;
  }
  const check = checkForest(evaluator, booster);
  if (!check.agrees) {
    logger.warn({ rows: check.rows, difference: check.difference }, `${name} disagrees with libxgboost; ${fallback}`);
    return undefined;
  }
  return evaluator;
}

/** JSON text of an object (`{"`…), as opposed to UBJ, whose first byte is also `{` but is followed by a type marker. */
function isJsonObject(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('latin1').trimStart();
  return /^\{\s*["}]/.test(text);
}
