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
  const texts: string[] = [];
  const numbers: string[] = [];
  const prepared = raw.getColumns().map((column) => {
    const variant = column.dtype.variant as string;
    if (numericTypes.has(variant)) {
      numbers.push(column.name);
      return column.cast(pl.Float64);
    }
    texts.push(column.name);
    if (textTypes.has(variant)) return column.cast(pl.Utf8);
    if (variant === 'Datetime') return pl.Series(column.name, (column.toArray() as unknown as Array<Date | null>).map((d) => (d === null ? null : formatDateTime(d))), pl.Utf8);
    if (variant === 'Null') return pl.Series(column.name, new Array<null>(column.length).fill(null), pl.Utf8);
    throw new InputError(`${origin}: column "${column.name}" has type ${String(column.dtype).replace(/^DataType\((.*)\)$/, '$1')}; only numbers, text, booleans and dates can be ingested`, {
      origin,
      column: column.name,
    });
  });
  const frame = pl.DataFrame(prepared);
  const counts = countCells(frame, texts, numbers);
  for (const name of numbers) {
    if (counts.get(`${name}\0infinite`)! > 0) {
      const row = (frame.getColumn(name).toArray() as Array<number | null>).findIndex((n) => n !== null && !Number.isFinite(n) && !Number.isNaN(n));
      throw new InputError(`${origin}: column "${name}" row ${row + 1} is infinite; infinite numbers cannot be ingested`, { origin, column: name, row: row + 1 });
    }
  }
  const typed = frame.select(
    ...frame.columns.map((name) => {
      const column = pl.col(name);
      if (numbers.includes(name)) return pl.when(column.isNan()).then(pl.lit(null)).otherwise(column).alias(name);
      const trimmed = column.str.strip();
      const numeric = counts.get(`${name}\0present`)! > 0 && counts.get(`${name}\0notNumbers`) === 0;
      return pl.when(isBlank(name)).then(pl.lit(null)).otherwise(numeric ? trimmed.cast(pl.Float64, false) : column).alias(name);
    }),
  );
  return tableOf(typed);
}

/** Null, empty or whitespace-only text. */
function isBlank(name: string): pl.Expr {
  return pl.col(name).isNull().or(pl.col(name).str.strip().eq(pl.lit('')));
}

/** Per text column: cells present and present cells that are not finite numbers; per number column: infinite cells. */
function countCells(frame: pl.DataFrame, texts: string[], numbers: string[]): Map<string, number> {
  const expressions = [
    ...texts.flatMap((name) => {
      const number = pl.col(name).str.strip().cast(pl.Float64, false);
      const present = isBlank(name).not();
      return [
        present.sum().alias(`${name}\0present`),
        present.and(number.isNull().or(number.isFinite().not())).sum().alias(`${name}\0notNumbers`),
      ];
    }),
    ...numbers.map((name) => pl.col(name).isInfinite().sum().alias(`${name}\0infinite`)),
  ];
  if (expressions.length === 0) return new Map();
  const counts = frame.select(...expressions);
  return new Map(counts.columns.map((name) => [name, Number(counts.getColumn(name).get(0) ?? 0)]));
}

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
