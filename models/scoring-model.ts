import { InputError } from '../lib/errors';
import { Booster, checkForest, DMatrix, Forest } from './xgboost';
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
}

/**
 * Requests of fewer records than this are scored by the TypeScript forest, larger ones by libxgboost:
 * below it libxgboost's fixed cost per call (≈ 15 µs of config and array parsing) dominates; above it
 * libxgboost's per-row traversal is the faster. Measured by `bench/xgboost-bench.ts` (batch-size table).
 */
export const FOREST_MAX_ROWS = 16;

const emitWarning: ScoringLogger = {
  warn: (details, message) => process.emitWarning(`${message} ${JSON.stringify(details)}`),
};

/**
 * A model version ready to score raw records: the fitted feature pipeline and the booster, together.
 * Evaluation and the API both score through this class, so they cannot disagree.
 *
 * Small requests are scored by `Forest` (XGBoost's prediction reproduced in TypeScript, no C call) once a
 * check at load has shown it predicts what libxgboost predicts; models it cannot reproduce, or any
 * disagreement, leave every request on libxgboost, with a warning.
 */
export class ScoringModel implements Disposable {
  readonly pipeline: FeaturePipeline;
  /** The fast evaluator, when it reproduces this model; otherwise undefined and libxgboost scores all. */
  readonly forest: Forest | undefined;

  constructor(readonly booster: Booster, pipelineState: FeaturePipelineState, options: ScoringModelOptions = {}) {
    this.pipeline = new FeaturePipeline(pipelineState);
    // One thread per prediction: requests are small, and an OpenMP team would wait for a core that the
    // event loop or other requests hold, which multiplies latency under load.
    booster.setParams({ nthread: 1 });
    this.forest = verifiedForest(booster, options.modelJson ?? booster.save('json'), options.logger ?? emitWarning);
  }

  /** Loads JSON or UBJ model bytes; JSON bytes also feed the forest, so the check compares the artifact itself with libxgboost. */
  static fromBytes(modelBytes: Uint8Array, pipelineState: FeaturePipelineState, options: ScoringModelOptions = {}): ScoringModel {
    const modelJson = isJsonObject(modelBytes) ? modelBytes : undefined;
    return new ScoringModel(Booster.fromBuffer(modelBytes), pipelineState, { modelJson, ...options });
  }

  /**
   * Probability of the positive class for each record; throws InputError naming a bad field.
   * Few records go through the forest; many through libxgboost's in-place prediction (no DMatrix).
   */
  predict(records: RawRecord[]): Float32Array {
    const features = this.pipeline.transform(records);
    const cols = this.pipeline.featureCount;
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

/** The model's forest if it reproduces libxgboost on probe rows; undefined (and a warning) otherwise. */
function verifiedForest(booster: Booster, modelJson: Uint8Array, logger: ScoringLogger): Forest | undefined {
  let forest: Forest;
  try {
    forest = Forest.fromModel(modelJson);
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'forest evaluator cannot reproduce this model; scoring with libxgboost');
    return undefined;
  }
  const check = checkForest(forest, booster);
  if (!check.agrees) {
    logger.warn({ rows: check.rows, difference: check.difference }, 'forest evaluator disagrees with libxgboost; scoring with libxgboost');
    return undefined;
  }
  return forest;
}

/** JSON text of an object (`{"`…), as opposed to UBJ, whose first byte is also `{` but is followed by a type marker. */
function isJsonObject(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('latin1').trimStart();
  return /^\{\s*["}]/.test(text);
}
