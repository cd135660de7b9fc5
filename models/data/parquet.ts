import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';
import { typeColumns, type Table } from './column-types';

/** A Parquet file as a typed table; a file that is not Parquet, or has no rows, is an InputError naming it. */
export function parseParquetTable(bytes: Buffer, file: string): Table {
  let raw: pl.DataFrame;
  try {
    raw = pl.readParquet(bytes);
  } catch (error) {
    throw new InputError(`${file}: not a readable Parquet file (${(error as Error).message})`, { file });
  }
  if (raw.height === 0) throw new InputError(`${file}: the file has no rows`, { file });
  return typeColumns(raw, file);
}
