import type { ModelVersion, Registry } from '../db';
import { fromParquet, toRecords, type ColumnSchema } from '../models/data/tabular';
import { driftBaseline, type DriftBaseline } from '../models/monitoring';
import type { ScoringModel } from '../models/scoring-model';
import type { ArtifactStore } from './artifact-store';

export interface DriftBaselineSources {
  registry: Pick<Registry, 'getDataset'>;
  artifacts: Pick<ArtifactStore, 'get'>;
}

/**
 * A model version's drift baseline, from its dataset snapshot: its raw input columns profiled as the
 * dataset's reader typed them, and the version's scores on those rows. At most `maxRows` rows, sampled
 * evenly (20,000 is plenty for 10-bin PSI). The API and the monitoring workflow both use it.
 */
export async function loadDriftBaseline({ registry, artifacts }: DriftBaselineSources, version: ModelVersion, scoring: ScoringModel, maxRows = 20_000): Promise<DriftBaseline> {
  const dataset = await registry.getDataset(version.datasetId);
  const all = toRecords(fromParquet(artifacts.get(dataset.snapshotKey)));
  const stride = Math.max(1, Math.ceil(all.length / maxRows));
  const records = stride === 1 ? all : all.filter((_, row) => row % stride === 0);
  const types = new Map((dataset.schema as ColumnSchema[]).map((column) => [column.name, column.type]));
  const columns = scoring.pipeline.inputs.map(({ name, kind }) => ({ name, type: types.get(name) ?? (kind === 'numeric' ? 'number' : 'string') }));
  return driftBaseline(records, columns, scoring.predict(records));
}
