import fs from 'node:fs';
import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';
import type { RawRecord } from '../features/raw-values';
import { checkCsvBytes, type CsvFormat } from './csv-check';
import { typeColumns, type Table } from './column-types';
import { decodeText } from './text-decoding';

export { tableOf, type ColumnSchema, type ColumnType, type Table } from './column-types';

export interface CsvOptions extends CsvFormat {
  /** Default `,`. */
  delimiter?: string;
}

/**
 * Reads a CSV file with every cell as text, then types each column (see `typeColumns`): a column whose
 * non-blank cells all parse as numbers is numeric, with blanks as missing values; any other column
 * stays text. Numbers are parsed by the same function the API uses, so training and serving agree on
 * every value.
 */
export function readCsvTable(path: string, options: CsvOptions = {}): Table {
  return parseCsvTable(readSourceBytes(path), path, options);
}

/** A source file's bytes; an unreadable file is an InputError naming `<field>.path` (default `source.path`). */
export function readSourceBytes(path: string, field = 'source'): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    throw new InputError(`${field}.path: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field: `${field}.path`, path });
  }
}

/** readCsvTable on bytes already read (a download, or a file read once). */
export function parseCsvTable(bytes: Buffer, path: string, { delimiter = ',', quote = '"', encoding = 'utf8', field = 'source' }: CsvOptions = {}): Table {
  const { dataRows } = checkCsvBytes(bytes, path, delimiter, { quote, encoding, field });
  // The parser reads UTF-8 only: other encodings are handed to it transcoded.
  const utf8 = encoding === 'utf8' ? bytes : Buffer.from(decodeText(bytes, path, encoding, `${field}.encoding`));
  let raw: pl.DataFrame;
  try {
    raw = pl.readCSV(utf8, { inferSchemaLength: 0, sep: delimiter, quoteChar: quote });
  } catch (error) {
    throw new InputError(`cannot read CSV ${path}: ${(error as Error).message}`, { path });
  }
  if (raw.height !== dataRows) throw new InputError(`${path}: the parser read ${raw.height} rows where the file has ${dataRows}`, { path });
  return typeColumns(raw, path);
}

export function toParquet(frame: pl.DataFrame): Buffer {
  return frame.writeParquet();
}

export function fromParquet(bytes: Buffer): pl.DataFrame {
  return pl.readParquet(bytes);
}

/**
 * Rows as plain records, the form the feature pipeline and the API share. Built column by column:
 * a few native calls instead of polars' cell-by-cell `toRecords`, about three times faster.
 */
/**
 * A column's values for records: a float column without missing values comes out as a Float64Array in one
 * copy (`toArray` builds a JS number per value, a second or so per million rows over a dataset's columns).
 */
function columnValues(column: pl.Series): ArrayLike<RawRecord[string]> {
  if (column.dtype.equals(pl.Float64) && column.nullCount() === 0) return column.toTypedArray() as Float64Array;
  return column.toArray() as RawRecord[string][];
}

export function toRecords(frame: pl.DataFrame): RawRecord[] {
  const columns = frame.getColumns().map((column) => [column.name, columnValues(column)] as const);
  const records = new Array<RawRecord>(frame.height);
  for (let row = 0; row < records.length; row++) {
    const record: RawRecord = {};
    for (const [name, values] of columns) record[name] = values[row];
    records[row] = record;
  }
  return records;
}
