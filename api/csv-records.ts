import pl from 'nodejs-polars';
import { HTTPException } from 'hono/http-exception';
import { InputError } from '../lib/errors';
import { checkCsvBytes } from '../models/data/csv-check';
import { toRecords } from '../models/data/tabular';
import type { RawRecord } from '../models/features/raw-values';

/**
 * The records of a CSV request body, read as training reads a CSV source: the same checks before parsing
 * (UTF-8, a header, every row as wide as it, closed quotes), every cell as text, blank cells missing.
 * Cells stay text rather than being typed per upload, so a category such as "01" is not turned into the
 * number 1; the record schema and the feature pipeline then parse numbers exactly as in training.
 * A body that is not such a CSV is a 400 naming the line; more than `maxRows` rows is a 422.
 */
export function csvRecords(bytes: Buffer, maxRows: number): { header: string[]; records: RawRecord[] } {
  let dataRows: number;
  try {
    ({ dataRows } = checkCsvBytes(bytes, 'CSV body'));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new HTTPException(400, { res: Response.json({ error: error.message }, { status: 400 }) });
  }
  if (dataRows > maxRows) throw new InputError(`a batch holds 1 to ${maxRows} records, got ${dataRows} CSV rows`, { field: '(body)' });
  const frame = pl.readCSV(bytes, { inferSchemaLength: 0 });
  const records = toRecords(frame);
  for (const record of records) {
    for (const [name, cell] of Object.entries(record)) if (typeof cell === 'string' && cell.trim() === '') record[name] = null;
  }
  return { header: frame.columns, records };
}
