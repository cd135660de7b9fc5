import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';

export type ColumnType = 'number' | 'string';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** Cells that are missing: empty or whitespace-only text, null, NaN. */
  missing: number;
}

/** A dataset in memory: number columns are Float64, text columns Utf8, missing values null. */
export interface Table {
  frame: pl.DataFrame;
  schema: ColumnSchema[];
}

const numericTypes = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float32', 'Float64', 'Decimal']);
/** Cast to text as they are: booleans become `true`/`false` (as the API reads a JSON boolean), dates `YYYY-MM-DD`. */
const textTypes = new Set(['String', 'Utf8', 'Categorical', 'Enum', 'Bool', 'Date']);

/**
 * Gives every column of a frame one of Kiln's two types, whatever the source typed it as, so that a
 * CSV file, a JSON-lines file, a Parquet file and a SQL query holding the same values give the same
 * table. Text whose non-blank cells all parse as finite numbers becomes a number column, blanks
 * missing; other text stays text, blanks missing. Numbers become Float64 (NaN missing). Times become
 * text `YYYY-MM-DD HH:MM:SS[.sss]` in UTC (as validation's date rules read them). Nested values and
 * infinite numbers are InputErrors naming `origin` and the column.
 *
 * Polars does the work column-wide. Its number parsing agrees with the API's `parseNumeric` on every
 * cell it calls a number (both round decimal text correctly; test/data/column-types.test.ts holds the
 * edge cases), so a value means the same number in training and in serving.
 */
export function typeColumns(raw: pl.DataFrame, origin: string): Table {
  const columns = raw.getColumns().map((column) => {
    const variant = column.dtype.variant as string;
    if (numericTypes.has(variant)) return typeNumbers(column.cast(pl.Float64), origin);
    if (textTypes.has(variant)) return typeTexts(column.cast(pl.Utf8));
    if (variant === 'Datetime') return typeTexts(pl.Series(column.name, (column.toArray() as unknown as Array<Date | null>).map((d) => (d === null ? null : formatDateTime(d))), pl.Utf8));
    if (variant === 'Null') return nulls(column.name, column.length, pl.Utf8);
    throw new InputError(`${origin}: column "${column.name}" has type ${String(column.dtype).replace(/^DataType\((.*)\)$/, '$1')}; only numbers, text, booleans and dates can be ingested`, {
      origin,
      column: column.name,
    });
  });
  return tableOf(pl.DataFrame(columns));
}

// Series methods throughout: each runs at once, where a frame expression pays for query planning
// (a few milliseconds per expression, which dominated typing small files).

function typeNumbers(column: pl.Series, origin: string): pl.Series {
  const infinite = count(column.isInfinite());
  if (infinite > 0) {
    const row = (column.toArray() as Array<number | null>).findIndex((n) => n !== null && !Number.isFinite(n) && !Number.isNaN(n)) + 1;
    throw new InputError(`${origin}: column "${column.name}" row ${row} is infinite; infinite numbers cannot be ingested`, { origin, column: column.name, row });
  }
  // Neither finite, nor infinite, nor null: NaN, which is missing (rare, so the one frame expression here).
  if (count(column.isFinite()) + column.nullCount() === column.length) return column;
  const name = column.name;
  return pl.DataFrame([column]).select(pl.when(pl.col(name).isNan()).then(pl.lit(null)).otherwise(pl.col(name)).alias(name)).getColumn(name);
}

/** How many cells of a boolean series are true (polars' own `sum` of booleans answers a boolean). */
function count(mask: pl.Series): number {
  return Number(mask.cast(pl.UInt32).sum() ?? 0);
}

/** A cell with something in it: the API's `parseNumeric` calls empty and white-space-only text missing. */
const NOT_BLANK = '\\S';
/** Rows looked at first: a word among them settles a text column without scanning the rest. */
const FIRST_LOOK = 1000;

/**
 * A text column typed: numbers when every non-blank cell parses as a finite number once trimmed (as
 * `parseNumeric` trims), else text; blanks missing either way. Cheapest test first: most text columns
 * show a word among their first rows, and most number columns parse without trimming.
 */
function typeTexts(column: pl.Series): pl.Series {
  const present = (cells: pl.Series) => count(cells.str.contains(NOT_BLANK));
  // "NaN" and "inf" parse as floats, but are not numbers for the API.
  const numbers = (cells: pl.Series) => count(cells.cast(pl.Float64, false).isFinite());
  const trimmed = (cells: pl.Series) => cells.str.strip();
  const head = column.head(FIRST_LOOK);
  const filled = present(column);
  if (numbers(trimmed(head)) === present(head) && filled > 0) {
    if (numbers(column) === filled) return column.cast(pl.Float64, false);
    if (numbers(trimmed(column)) === filled) return trimmed(column).cast(pl.Float64, false);
  }
  const blanks = column.length - column.nullCount() - filled;
  return blanks === 0 ? column : column.zipWith(column.str.contains(NOT_BLANK), nulls(column.name, column.length, pl.Utf8));
}

function nulls(name: string, length: number, dtype: typeof pl.Utf8 | typeof pl.Float64): pl.Series {
  return pl.Series(name, new Array<null>(Math.min(length, 1)).fill(null), dtype).extendConstant(null, Math.max(length - 1, 0));
}

/** No columns and no rows: what a source asked for the rows past the watermark gives when nothing is new. */
export const nothingNew = (): Table => tableOf(pl.DataFrame());

export const isNothingNew = (table: Table): boolean => table.schema.length === 0;

/** A typed frame with its schema. */
export function tableOf(frame: pl.DataFrame): Table {
  return { frame, schema: describeColumns(frame) };
}

function describeColumns(frame: pl.DataFrame): ColumnSchema[] {
  return frame.getColumns().map((column) => ({
    name: column.name,
    type: column.dtype.variant === 'Float64' ? 'number' : 'string',
    missing: column.nullCount(),
  }));
}

/** `YYYY-MM-DD HH:MM:SS`, with milliseconds only when there are some, in UTC. */
export function formatDateTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, date.getUTCMilliseconds() === 0 ? 19 : 23)}`;
}
