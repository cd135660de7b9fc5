import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';
import { parseIsoDate } from '../validation/dates';
import { tableOf, type Table } from './column-types';

/** How far an incremental dataset has read: the largest value of its watermark column. */
export interface Watermark {
  column: string;
  /** As the data holds it: a number, or an ISO date or time. */
  value: number | string;
}

const FIELD = 'incremental.watermark';
const ORDER = '__kiln_watermark';

/** The largest watermark of the table's rows. */
export function watermarkReached(table: Table, column: string): Watermark {
  const order = watermarkOrder(table, column);
  let best = 0;
  for (let row = 1; row < order.length; row++) if (order[row]! > order[best]!) best = row;
  return { column, value: table.frame.getColumn(column).get(best) as number | string };
}

/** The rows whose watermark is past `last`. */
export function rowsPast(table: Table, last: Watermark): Table {
  const order = watermarkOrder(table, last.column);
  const bound = orderOf(last.value, 'the previous version\'s watermark', last.column);
  const past = table.frame.withColumn(pl.Series(ORDER, order, pl.Float64)).filter(pl.col(ORDER).gt(bound)).drop(ORDER);
  return tableOf(past);
}

/** Each row's watermark as a number that sorts like it: the number itself, or an ISO date's milliseconds. */
function watermarkOrder(table: Table, column: string): Float64Array {
  if (!table.schema.some((c) => c.name === column)) {
    throw new InputError(`${FIELD}: "${column}" is not a column of the data (columns: ${table.schema.map((c) => c.name).join(', ')})`, { field: FIELD });
  }
  const values = table.frame.getColumn(column).toArray() as Array<number | string | null>;
  return Float64Array.from(values, (value, row) => orderOf(value, `row ${row + 1}`, column));
}

function orderOf(value: number | string | null, where: string, column: string): number {
  if (value === null) throw new InputError(`${FIELD}: ${where} has no "${column}"; every row needs a watermark`, { field: FIELD });
  if (typeof value === 'number') return value;
  const order = parseTime(value);
  if (order === undefined) {
    throw new InputError(`${FIELD}: ${where} has "${column}" = ${JSON.stringify(value)}, neither a number nor an ISO date or time`, { field: FIELD });
  }
  return order;
}

/** An ISO date or time as validation reads it, with optional fractional seconds (as Parquet and SQL times are written). */
function parseTime(text: string): number | undefined {
  const fraction = /^(.*\d:\d\d)\.(\d{1,9})$/.exec(text.trim());
  if (!fraction) return parseIsoDate(text);
  const whole = parseIsoDate(fraction[1]!);
  return whole === undefined ? undefined : whole + Number(`0.${fraction[2]}`) * 1000;
}
