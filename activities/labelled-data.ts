import { InputError } from '../lib/errors';
import { fromParquet, toRecords } from '../models/data/tabular';
import type { InputColumn } from '../models/features/feature-pipeline';
import type { RawRecord } from '../models/features/raw-values';
import type { ActivityDependencies } from './dependencies';

export interface TargetSpec {
  column: string;
  positive: string;
  /** Only rows whose target is one of these count (the config's `target.keep`); absent: every row. */
  keep?: string[];
}

export interface LabelledData {
  records: RawRecord[];
  labels: Float32Array;
  columns: Array<{ name: string; type: 'number' | 'string' }>;
}

/** Loads a dataset version's snapshot as records, with its column types. */
export async function loadDataset({ registry, artifacts }: ActivityDependencies, datasetId: string): Promise<Omit<LabelledData, 'labels'>> {
  const dataset = await registry.getDataset(datasetId);
  return { records: toRecords(fromParquet(artifacts.get(dataset.snapshotKey))), columns: dataset.schema as LabelledData['columns'] };
}

/**
 * Loads a dataset version's snapshot and its binary labels (1 for the positive class), keeping only the
 * rows `target.keep` allows: every activity after ingest loads through here, so row numbers (the split,
 * the folds) mean the same rows everywhere.
 */
export async function loadLabelledData(deps: ActivityDependencies, datasetId: string, target: TargetSpec): Promise<LabelledData> {
  const dataset = await loadDataset(deps, datasetId);
  const { columns } = dataset;
  const keep = target.keep && new Set(target.keep);
  const records = keep ? dataset.records.filter((record) => keep.has(String(record[target.column]))) : dataset.records;
  if (!columns.some((column) => column.name === target.column)) {
    throw new InputError(`target.column: "${target.column}" is not a column of dataset ${datasetId} (columns: ${columns.map((c) => c.name).join(', ')})`, { field: 'target.column' });
  }
  const labels = new Float32Array(records.length);
  records.forEach((record, row) => {
    const value = record[target.column];
    if (value === null || value === undefined) {
      throw new InputError(`target ${target.column} is missing in row ${row + 1} of dataset ${datasetId}`, { field: target.column, row: row + 1 });
    }
    labels[row] = String(value) === target.positive ? 1 : 0;
  });
  return { records, labels, columns };
}

/** The model's input columns: every column but the target and the excluded ones, typed by the snapshot. */
export function featureInputs(columns: LabelledData['columns'], target: TargetSpec, exclude: readonly string[]): InputColumn[] {
  return columns
    .filter(({ name }) => name !== target.column && !exclude.includes(name))
    .map(({ name, type }) => ({ name, kind: type === 'number' ? 'numeric' : 'categorical' }));
}
