import type { Registry } from '../db';
import type { ArtifactStore } from '../lib/artifact-store';
import { fromParquet, toRecords, type ColumnSchema } from '../models/data/tabular';
import { driftBaseline, type DriftBaseline } from '../models/monitoring';
import type { ServedModel } from './model-cache';

export interface DriftBaselinesOptions {
  registry: Pick<Registry, 'getDataset'>;
  artifacts: Pick<ArtifactStore, 'get'>;
  /** Most training rows profiled; larger datasets are sampled evenly. Default 20,000: plenty for 10-bin PSI. */
  maxRows?: number;
}

/**
 * The drift baseline of each served model version, built once from the version's dataset snapshot: its
 * raw input columns profiled as the dataset's reader typed them, and the version's scores on those rows.
 */
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

  private async build(served: ServedModel): Promise<DriftBaseline> {
    const { registry, artifacts, maxRows = 20_000 } = this.options;
    const dataset = await registry.getDataset(served.version.datasetId);
    const all = toRecords(fromParquet(artifacts.get(dataset.snapshotKey)));
    const stride = Math.max(1, Math.ceil(all.length / maxRows));
    const records = stride === 1 ? all : all.filter((_, row) => row % stride === 0);
    const types = new Map((dataset.schema as ColumnSchema[]).map((column) => [column.name, column.type]));
    const columns = served.scoring.pipeline.inputs.map(({ name, kind }) => ({ name, type: types.get(name) ?? (kind === 'numeric' ? 'number' : 'string') }));
    return driftBaseline(records, columns, served.scoring.predict(records));
  }
}
