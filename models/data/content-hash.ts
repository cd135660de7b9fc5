import crypto from 'node:crypto';
import pl from 'nodejs-polars';
import type { Table } from './column-types';

/**
 * SHA-256 of a table's content: column names and types in order, then each column's missing mask and
 * values — numbers as their 64-bit floats, text as its lengths and then its characters. It depends on
 * the values only (not on the file, the source or the library's own hashing), so the same rows give
 * the same hash whether read from a CSV file, a query or a Parquet snapshot read back: what makes
 * "same content, same dataset version" hold across sources and incremental loads.
 */
export function contentHash({ frame, schema }: Table): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify(schema.map(({ name, type }) => [name, type])));
  for (const { name, type } of schema) {
    const column = frame.getColumn(name);
    hash.update(bytesOf(column.isNull().cast(pl.UInt8).toTypedArray()));
    if (type === 'number') {
      hash.update(bytesOf(column.fillNull('zero').toTypedArray()));
    } else {
      hash.update(bytesOf(column.str.lengths().fillNull('zero').toTypedArray()));
      hash.update(String(column.str.concat('').get(0) ?? ''));
    }
  }
  return hash.digest('hex');
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
