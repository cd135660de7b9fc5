import fs from 'node:fs';
import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';
import { parseNumeric, type RawRecord } from '../features/raw-values';
import { checkCsvBytes } from './csv-check';

export type ColumnType = 'number' | 'string';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** Cells that are empty or whitespace-only. */
  missing: number;
}

export interface Table {
  frame: pl.DataFrame;
  schema: ColumnSchema[];
}

/**
 * Reads a CSV file with every cell as text, then types each column: a column whose non-blank cells
 * all parse as numbers is numeric, with blanks as missing values; any other column stays text.
 * Numbers are parsed by the same function the API uses, so training and serving agree on every value.
 */
export function readCsvTable(path: string, { delimiter = ',' }: { delimiter?: string } = {}): Table {
  return parseCsvTable(readSourceBytes(path), path, { delimiter });
}

/** A source file's bytes; an unreadable file is an InputError naming `source.path`. */
export function readSourceBytes(path: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    throw new InputError(`source.path: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field: 'source.path', path });
  }
}

/** readCsvTable on bytes already read (ingest hashes the same bytes it parses). */
export function parseCsvTable(bytes: Buffer, path: string, { delimiter = ',' }: { delimiter?: string } = {}): Table {
  const { dataRows } = checkCsvBytes(bytes, path, delimiter);
  let raw: pl.DataFrame;
  try {
    raw = pl.readCSV(bytes, { inferSchemaLength: 0, sep: delimiter });
  } catch (error) {
    throw new InputError(`cannot read CSV ${path}: ${(error as Error).message}`, { path });
  }
  if (raw.height !== dataRows) throw new InputError(`${path}: the parser read ${raw.height} rows where the file has ${dataRows}`, { path });
  const schema: ColumnSchema[] = [];
  const columns = raw.getColumns().map((column) => {
    const texts = column.toArray() as Array<string | null>;
    const blank = (text: string | null) => text === null || text.trim() === '';
    const missing = texts.filter(blank).length;
    const numbers = texts.map((text) => parseNumeric(text));
    if (missing < texts.length && numbers.every((n) => n !== undefined)) {
      schema.push({ name: column.name, type: 'number', missing });
      return pl.Series(column.name, numbers.map((n) => (Number.isNaN(n) ? null : n)), pl.Float64);
    }
    schema.push({ name: column.name, type: 'string', missing });
    return pl.Series(column.name, texts.map((text) => (blank(text) ? null : text)), pl.Utf8);
  });
  return { frame: pl.DataFrame(columns), schema };
}

export function toParquet(frame: pl.DataFrame): Buffer {
  return frame.writeParquet();
}

export function fromParquet(bytes: Buffer): pl.DataFrame {
  return pl.readParquet(bytes);
}

/** Rows as plain records, the form the feature pipeline and the API share. */
export function toRecords(frame: pl.DataFrame): RawRecord[] {
  return frame.toRecords() as RawRecord[];
}
