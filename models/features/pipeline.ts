import { atRow, compilePipeline, featureLineage, transformRow, type CompiledPipeline } from './compile';
import type { Frame } from './frame';
import type { RawRecord } from './raw-values';
import { currentState, type FeaturePipelineState, type FeaturePipelineStateV1, type InputColumn } from './state';

/**
 * A fitted pipeline ready to transform records; build once per model version, reuse per request.
 * Accepts states of version 1 (numeric passthrough and one-hot, as older models hold) and 2.
 */
export class FeaturePipeline {
  readonly state: FeaturePipelineState;
  readonly featureCount: number;
  /**
   * For each model feature, the raw input column it is computed from: how SHAP values add up per
   * input. A feature made from two columns (a ratio, a date difference) counts toward the first one
   * its step names (the numerator; the start date); `state.steps` holds the whole recipe.
   */
  readonly featureSources: string[];
  private readonly compiled: CompiledPipeline;
  /** One row of scratch space: transforms are synchronous, so one per pipeline is enough. */
  private readonly frame: Frame;

  constructor(state: FeaturePipelineState | FeaturePipelineStateV1) {
    this.state = currentState(state);
    this.compiled = compilePipeline(this.state);
    this.featureCount = this.compiled.featureCount;
    this.featureSources = featureLineage(this.state).map((sources) => sources[0]!);
    this.frame = this.compiled.layout.createFrame(1);
  }

  /** The raw columns a record must hold, with how each is read. */
  get inputs(): InputColumn[] {
    return this.state.inputs.map(({ name, kind }) => ({ name, kind }));
  }

  /** Writes one record's features into `out` at `offset`; throws InputError naming the field on a bad value. */
  transformInto(record: RawRecord, out: Float32Array, offset = 0): void {
    out.fill(0, offset, offset + this.featureCount);
    transformRow(this.compiled, record, this.frame, 0, out, offset);
  }

  /** Row-major matrix of the records' features. */
  transform(records: readonly RawRecord[]): Float32Array {
    const out = new Float32Array(records.length * this.featureCount);
    let row = 0;
    try {
      for (; row < records.length; row++) transformRow(this.compiled, records[row]!, this.frame, 0, out, row * this.featureCount);
    } catch (error) {
      throw atRow(error, row);
    }
    return out;
  }
}
