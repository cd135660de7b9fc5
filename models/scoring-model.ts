import { InputError } from '../lib/errors';
import { Booster, DMatrix } from './xgboost';
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

/**
 * A model version ready to score raw records: the fitted feature pipeline and the booster, together.
 * Evaluation and the API both score through this class, so they cannot disagree.
 */
export class ScoringModel implements Disposable {
  readonly pipeline: FeaturePipeline;

  constructor(readonly booster: Booster, pipelineState: FeaturePipelineState) {
    this.pipeline = new FeaturePipeline(pipelineState);
    // One thread per prediction: requests are small, and an OpenMP team would wait for a core that the
    // event loop or other requests hold, which multiplies latency under load.
    booster.setParams({ nthread: 1 });
  }

  static fromBytes(modelBytes: Uint8Array, pipelineState: FeaturePipelineState): ScoringModel {
    return new ScoringModel(Booster.fromBuffer(modelBytes), pipelineState);
  }

  /**
   * Probability of the positive class for each record; throws InputError naming a bad field.
   * In-place prediction skips building a DMatrix, which dominates the cost of one-record requests.
   */
  predict(records: RawRecord[]): Float32Array {
    const features = this.pipeline.transform(records);
    return this.booster.inplacePredict(features, records.length, this.pipeline.featureCount);
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
