import { InputError } from '../lib/errors';
import { fromParquet, toRecords } from '../models/data/tabular';
import type { RawRecord } from '../models/features/raw-values';
import type { ActivityDependencies } from './dependencies';

export interface TargetSpec {
  column: string;
  positive: string;
}

export interface LabelledData {
  records: RawRecord[];
  labels: Float32Array;
  columns: Array<{ name: string; type: 'number' | 'string' }>;
}

/** Loads a dataset version's snapshot and its binary labels (1 for the positive class). */
export async function loadLabelledData({ registry, artifacts }: ActivityDependencies, datasetId: string, target: TargetSpec): Promise<LabelledData> {
  const dataset = await registry.getDataset(datasetId);
  const records = toRecords(fromParquet(artifacts.get(dataset.snapshotKey)));
  const columns = dataset.schema as LabelledData['columns'];
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
