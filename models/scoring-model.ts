import { Booster } from './xgboost';
import { FeaturePipeline, type FeaturePipelineState } from './features/feature-pipeline';
import type { RawRecord } from './features/raw-values';

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

  dispose(): void {
    this.booster.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
