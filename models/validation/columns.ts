import { parseCategory, parseNumeric, type RawRecord, type RawValue } from '../features/raw-values';

export type DataType = 'number' | 'string';

/** One column of the dataset as the reader typed it. */
export interface SchemaColumn {
  name: string;
  type: DataType;
}

/** A column pulled out of the records once, so each check walks a plain array. */
export interface ColumnView {
  name: string;
  type: DataType;
  values: RawValue[];
  /** 1 where the value is missing: null, undefined, NaN or a whitespace-only string. */
  missing: Uint8Array;
  missingCount: number;
}

/** Missing as the feature pipeline sees it (Telco's `TotalCharges` writes blanks as `" "`). */
export function isMissing(value: RawValue): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  return typeof value === 'string' && value.trim() === '';
}

export function columnView(records: readonly RawRecord[], column: SchemaColumn): ColumnView {
  const values = new Array<RawValue>(records.length);
  const missing = new Uint8Array(records.length);
  let missingCount = 0;
  for (let i = 0; i < records.length; i++) {
    const value = records[i]![column.name];
    values[i] = value;
    if (isMissing(value)) {
      missing[i] = 1;
      missingCount++;
    }
  }
  return { name: column.name, type: column.type, values, missing, missingCount };
}

/**
 * Numbers of a column, NaN where missing or not a number. `invalid` counts the values that are present
 * but not numbers, which a 'number' column read by `readCsvTable` never has.
 */
export function numbersOf(view: ColumnView): { numbers: Float64Array; invalid: number } {
  const numbers = new Float64Array(view.values.length);
  let invalid = 0;
  for (let i = 0; i < numbers.length; i++) {
    const number = view.missing[i] ? NaN : parseNumeric(view.values[i]);
    if (number === undefined) invalid++;
    numbers[i] = number ?? NaN;
  }
  return { numbers, invalid };
}

/** Text of a present value, `null` when missing; numbers print as JavaScript prints them. */
export function textOf(value: RawValue): string | null {
  return isMissing(value) ? null : parseCategory(value);
}

/**
 * A key that tells values apart by type as well as text, so the number 1 and the text "1" differ
 * in duplicate and uniqueness checks, and every missing value equals every other.
 */
export function valueKey(value: RawValue): string {
  if (isMissing(value)) return '\u0000';
  return typeof value === 'number' ? `n${value}` : `s${String(value)}`;
}
