import type { Dataset } from '../db';
import { InputError } from '../lib/errors';
import { unionTables } from '../models/data/combine';
import { contentHash } from '../models/data/content-hash';
import { readSources } from '../models/data/read-sources';
import { namedSources, type DatasetSources } from '../models/data/source-config';
import { fromParquet, tableOf, toParquet, type Table } from '../models/data/tabular';
import { profileTable } from '../models/data/table-profile';
import { rowsPast, watermarkReached, type Watermark } from '../models/data/watermark';
import { stratifiedSplit, type TrainTestSplit } from '../models/split';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { loadLabelledData, type TargetSpec } from './labelled-data';

/** The config's `source` or `sources`, and `incremental`, for the dataset named after the model. */
export interface IngestInput extends DatasetSources {
  datasetName: string;
}

export interface IngestResult {
  datasetId: string;
  rowCount: number;
  /** False when the same content was ingested before: the existing version is reused. */
  created: boolean;
  /** Incremental loading: the version this one extends (its parent). */
  parentId?: string;
  /** Incremental loading after a previous version: the rows past its watermark (0 when nothing is new). */
  addedRows?: number;
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
    /**
     * Reads the sources, combines them, and registers the result as a dataset version keyed by its
     * content: a Parquet snapshot, the schema, a profile (monitoring's baseline) and a secret-free
     * description of the sources. Incremental: only rows past the last version's watermark are added
     * to that version's rows, and the new version names it as its parent. Same content → same version.
     */
    async ingest(input: IngestInput): Promise<IngestResult> {
      const sources = namedSources(input);
      if (sources.length === 0) throw new InputError('source: required (or a sources: list)', { field: 'source' });
      const column = input.incremental?.watermark;
      const parent = column === undefined ? undefined : await lastIncrementalVersion(deps, input.datasetName, column);
      // Queries naming :watermark and URLs naming {watermark} ask for the rows past the parent's; all are filtered here too.
      const read = await readSources(sources, { watermark: column === undefined ? undefined : (parent?.watermark?.value ?? null) });
      const { table, watermark, addedRows } = column === undefined ? { table: read.table } : extendPrevious(deps, parent, read.table, column);
      const profileKey = deps.artifacts.putJson(profileTable(table));
      const { dataset, created } = await deps.registry.upsertDataset({
        name: input.datasetName,
        contentHash: contentHash(table),
        snapshotKey: deps.artifacts.put(toParquet(table.frame)),
        rowCount: table.frame.height,
        schema: table.schema,
        source: { sources: read.sources, ...(watermark && { incremental: { watermark: watermark.column, after: parent?.watermark?.value ?? null, addedRows } }) },
        parentId: parent?.id,
        watermark,
        profileKey,
      });
      return {
        datasetId: dataset.id,
        rowCount: dataset.rowCount,
        created,
        ...(dataset.parentId !== null && { parentId: dataset.parentId }),
        ...(addedRows !== undefined && { addedRows }),
      };
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

interface Extended {
  table: Table;
  watermark: Watermark;
  addedRows?: number;
}

/** The latest version of the dataset read up to a watermark of `column`: the one an incremental load continues. */
async function lastIncrementalVersion({ registry }: ActivityDependencies, datasetName: string, column: string): Promise<Dataset | undefined> {
  return (await registry.listDatasets(datasetName)).find((dataset) => dataset.watermark?.column === column);
}

/**
 * Incremental loading: the rows of `parent` (the last version read up to a watermark of `column`),
 * followed by the rows read that are past its watermark; without a parent, every row. The watermark is
 * the one reached.
 */
function extendPrevious({ artifacts }: ActivityDependencies, parent: Dataset | undefined, rows: Table, column: string): Extended {
  if (!parent?.watermark) {
    if (rows.frame.height === 0) throw new InputError('source: the sources returned no rows', { field: 'source' });
    return { table: rows, watermark: watermarkReached(rows, column) };
  }
  const previous = tableOf(fromParquet(artifacts.get(parent.snapshotKey)));
  if (rows.frame.height === 0) return { table: previous, watermark: parent.watermark, addedRows: 0 };
  const added = rowsPast(rows, parent.watermark);
  const table = unionTables(previous, added, { base: `the previous version ${parent.id}`, added: 'the new rows' });
  return { table, watermark: watermarkReached(table, column), addedRows: added.frame.height };
}
