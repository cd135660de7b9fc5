import { InputError } from '../../lib/errors';
import { isNothingNew, nothingNew, type Table } from './column-types';
import { joinTables, unionTables } from './combine';
import { download, namesWatermark } from './http-source';
import { parseJsonLinesTable } from './jsonl';
import { parseParquetTable } from './parquet';
import { describeSource, sourceLocation, withoutCredentials, type NamedSource } from './source-config';
import { querySource } from './sql-source';
import { parseCsvTable, readSourceBytes } from './tabular';

export interface ReadSourcesResult {
  /** The sources' rows, combined in order. */
  table: Table;
  /** What was read, secret-free, for the dataset version's lineage: each source and its row count. */
  sources: Array<Record<string, unknown>>;
}

export interface ReadSourcesOptions {
  /** The value the previous incremental version reached, for SQL queries naming `:watermark` and URLs naming `{watermark}`; null for the first version. */
  watermark?: number | string | null;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads each source and combines them in order: a source with `join` joins the rows before it,
 * any other one is appended to them. Errors name the source by its config path and file, URL or database.
 * A query reading only rows past the watermark may find none: it adds nothing, and the result may be empty.
 *
 * @example await readSources(namedSources({ source: { type: 'csv', path: 'a.csv', delimiter: ',', quote: '"', encoding: 'utf8' } }))
 */
export async function readSources(sources: NamedSource[], { watermark, env = process.env }: ReadSourcesOptions = {}): Promise<ReadSourcesResult> {
  let table: Table | undefined;
  const read: ReadSourcesResult['sources'] = [];
  for (const [index, named] of sources.entries()) {
    const next = await readSource(named, { watermark, env });
    const label = labelOf(named);
    const before = index === 1 ? labelOf(sources[0]!) : `the sources before it (${sources[0]!.field} to ${sources[index - 1]?.field})`;
    const { join } = named.spec;
    if (!table) table = next;
    else if (join) {
      if (isNothingNew(next)) throw new InputError(`${label}: the joined source found no rows past the watermark; filter the rows it is joined to, not the ones it adds columns from`, { field: named.field });
      // Nothing new joined to anything is still nothing.
      if (!isNothingNew(table)) table = joinTables(table, next, join, { left: before, right: label, field: named.field });
    } else if (isNothingNew(table)) table = next;
    else if (!isNothingNew(next)) table = unionTables(table, next, { base: before, added: label });
    read.push({ ...describeSource(named.spec), ...(join && { join }), rows: next.frame.height });
  }
  if (!table) throw new Error('readSources needs at least one source');
  return { table, sources: read };
}

/** One source as a typed table. */
export async function readSource({ field, spec }: NamedSource, { watermark, env = process.env }: ReadSourcesOptions = {}): Promise<Table> {
  switch (spec.type) {
    case 'csv':
      return parseCsvTable(readSourceBytes(spec.path, field), spec.path, { ...spec, field });
    case 'parquet':
      return parseParquetTable(readSourceBytes(spec.path, field), spec.path);
    case 'jsonl':
      return parseJsonLinesTable(readSourceBytes(spec.path, field), spec.path);
    case 'http': {
      const { bytes, format, encoding } = await download(spec, field, watermark);
      // A server asked for the rows past the watermark may have none.
      if (bytes.length === 0 && watermark != null && namesWatermark(spec)) return nothingNew();
      const url = withoutCredentials(spec.url);
      if (format === 'csv') return parseCsvTable(bytes, url, { delimiter: spec.delimiter, quote: spec.quote, encoding, field });
      return format === 'parquet' ? parseParquetTable(bytes, url) : parseJsonLinesTable(bytes, url);
    }
    case 'sql':
      return querySource(spec, field, env, watermark);
  }
}

function labelOf({ field, spec }: NamedSource): string {
  return `${field} (${sourceLocation(spec)})`;
}
