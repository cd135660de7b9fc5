import crypto from 'node:crypto';
import { InputError } from '../lib/errors';
import { parseCsvTable, readSourceBytes, toParquet } from '../models/data/tabular';
import { stratifiedSplit, type TrainTestSplit } from '../models/split';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { loadLabelledData, type TargetSpec } from './labelled-data';

export interface IngestInput {
  datasetName: string;
  source: { type: 'csv'; path: string; delimiter: string };
}

export interface IngestResult {
  datasetId: string;
  rowCount: number;
  /** False when the same content was ingested before: the existing version is reused. */
  created: boolean;
}

export interface SplitInput {
  datasetId: string;
  target: TargetSpec;
  testFraction: number;
  seed: number;
}

export interface SplitResult {
  /** Artifact holding `{ train, test }` row indices. */
  splitKey: string;
  trainRows: number;
  testRows: number;
  positiveShare: number;
}

export function createDataActivities(deps: ActivityDependencies) {
  return withFailureMapping({
    /** Reads the source, snapshots it as Parquet and registers a dataset version keyed by content. */
    async ingest({ datasetName, source }: IngestInput): Promise<IngestResult> {
      const bytes = readSourceBytes(source.path);
      const contentHash = crypto.createHash('sha256').update(bytes).update(`\0${source.delimiter}`).digest('hex');
      const table = parseCsvTable(bytes, source.path, { delimiter: source.delimiter });
      const snapshotKey = deps.artifacts.put(toParquet(table.frame));
      const { dataset, created } = await deps.registry.upsertDataset({
        name: datasetName,
        contentHash,
        snapshotKey,
        rowCount: table.frame.height,
        schema: table.schema,
        source,
      });
      return { datasetId: dataset.id, rowCount: dataset.rowCount, created };
    },

    /** Stratified, seeded holdout split of a dataset version. */
    async splitDataset({ datasetId, target, testFraction, seed }: SplitInput): Promise<SplitResult> {
      const { labels } = await loadLabelledData(deps, datasetId, target);
      const positives = labels.reduce((sum, y) => sum + y, 0);
      if (positives === 0 || positives === labels.length) {
        throw new InputError(`target ${target.column}: both classes are needed, but every row is ${positives === 0 ? 'not ' : ''}"${target.positive}"`, { field: 'target.positive' });
      }
      const split: TrainTestSplit = stratifiedSplit(labels, { testFraction, seed });
      return {
        splitKey: deps.artifacts.putJson(split),
        trainRows: split.train.length,
        testRows: split.test.length,
        positiveShare: positives / labels.length,
      };
    },
  });
}
