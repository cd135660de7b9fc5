/** How bad a finding is: any error fails the run, warnings are kept with the dataset version. */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** Which check spoke, e.g. `schema.type`, `missing-share`, `duplicate-rows`, `leakage`. */
  check: string;
  column?: string;
  /** Names the column, the problem, the counts and up to five example rows. */
  message: string;
  /** 1-based data row numbers (the header is not counted), at most {@link MAX_FINDING_ROWS}. */
  rows?: number[];
}

/** Row numbers quoted in a message. */
export const EXAMPLE_ROWS = 5;
/** Row numbers kept in a finding, so a report on a million bad rows stays small. */
export const MAX_FINDING_ROWS = 100;

/** `"rows 3, 8, 9"` or `"rows 3, 8, 9, 10, 12 and 40 more"`, from 0-based indices. */
export function describeRows(indices: readonly number[]): string {
  const shown = indices.slice(0, EXAMPLE_ROWS).map((i) => i + 1);
  const more = indices.length - shown.length;
  return `${shown.length === 1 ? 'row' : 'rows'} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** A finding about some rows: the message gets the example rows appended, `rows` the first hundred. */
export function rowFinding(severity: Severity, check: string, column: string | undefined, message: string, indices: readonly number[]): Finding {
  return {
    severity,
    check,
    ...(column === undefined ? {} : { column }),
    message: `${message} (${describeRows(indices)})`,
    rows: indices.slice(0, MAX_FINDING_ROWS).map((i) => i + 1),
  };
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const share = (100 * part) / whole;
  return `${share < 0.1 && share > 0 ? share.toFixed(3) : share.toFixed(share < 10 ? 2 : 1)}%`;
}

/** A value quoted in a message, shortened so one odd cell cannot flood the report. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…"` : text;
}

/** `"1 value"`, `"3 values"`. */
export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
