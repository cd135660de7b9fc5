import { loadDriftBaseline, type DriftBaselineSources } from '../lib/drift-baseline';
import type { DriftBaseline } from '../models/monitoring';
import type { ServedModel } from './model-cache';

export interface DriftBaselinesOptions extends DriftBaselineSources {
  /** Most training rows profiled; larger datasets are sampled evenly (see loadDriftBaseline). */
  maxRows?: number;
}

/** The drift baseline of each served model version, built once (see loadDriftBaseline) and kept. */
export class DriftBaselines {
  private readonly baselines = new Map<string, Promise<DriftBaseline>>();

  constructor(private readonly options: DriftBaselinesOptions) {}

  get(served: ServedModel): Promise<DriftBaseline> {
    const key = `${served.name}@${served.version.version}`;
    let baseline = this.baselines.get(key);
    if (!baseline) {
      baseline = this.build(served);
      // A failure (say the snapshot is unreadable) is not remembered: the next request tries again.
      baseline.catch(() => this.baselines.delete(key));
      this.baselines.set(key, baseline);
    }
    return baseline;
  }

  private build(served: ServedModel): Promise<DriftBaseline> {
    return loadDriftBaseline(this.options, served.version, served.scoring, this.options.maxRows);
  }
}
