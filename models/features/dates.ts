import type { DatePart } from './config';
import type { RawValue } from './raw-values';

/**
 * `YYYY-MM-DD`, optionally with a time after `T` or a space (`HH:MM`, `:SS`, a fraction), optionally
 * with a zone (`Z`, `+HH:MM`, `+HHMM`, `+HH`) after the time.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const MS_PER_DAY = 86_400_000;

/**
 * Milliseconds since 1970-01-01 UTC of a raw value: an ISO 8601 date or date-time, or the
 * `YYYY-MM-DD HH:MM:SS` that SQL and CSV exports write. Text without a zone is read as UTC, so the same
 * text is the same instant on every machine. NaN for a missing value (null, blank);
 * `undefined` for anything else, including impossible dates (`2021-02-30`, `25:00`).
 *
 * @example parseDate('2015-08-11 12:12:28') // 1439295148000
 * @example parseDate('2015-08-11T14:12:28+02:00') // the same instant
 */
export function parseDate(value: RawValue): number | undefined {
  if (value === null || value === undefined) return NaN;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return NaN;
  const fast = parseFixedWidth(text);
  if (fast !== null) return fast;
  const match = DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = match[4] === undefined ? 0 : Number(match[4]);
  const minute = match[5] === undefined ? 0 : Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 02-30 over to 03-02; a round trip catches it.
  if (new Date(time).getUTCDate() !== day) return undefined;
  const fraction = match[7] === undefined ? 0 : Number(`0.${match[7]}`) * 1000;
  const offset = zoneOffsetMinutes(match[8]);
  return offset === undefined ? undefined : time + fraction - offset * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The two shapes datasets write most, `YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS`, read digit by digit
 * (a regex and a Date per value cost microseconds, and fitting reads millions). `null` when the text
 * has another shape, for the general parser; `undefined` for an impossible date.
 */
function parseFixedWidth(text: string): number | undefined | null {
  const length = text.length;
  if ((length !== 10 && length !== 19) || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  if (length === 19 && (text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = length === 19 ? digits(text, 11, 2) : 0;
  const minute = length === 19 ? digits(text, 14, 2) : 0;
  const second = length === 19 ? digits(text, 17, 2) : 0;
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The number written by `count` ASCII digits at `start`; -1 when one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Days from `start` to `end` (milliseconds since the epoch), fractional; NaN when either is missing. */
export function daysBetween(start: number, end: number): number {
  return (end - start) / MS_PER_DAY;
}

/** Writes the parts of an instant (ms since the epoch, UTC) into `out`; all NaN for a missing instant. */
export function datePartsInto(time: number, parts: readonly DatePart[], out: Float64Array): void {
  if (Number.isNaN(time)) {
    out.fill(NaN, 0, parts.length);
    return;
  }
  const date = new Date(time);
  for (let i = 0; i < parts.length; i++) out[i] = datePart(date, time, parts[i]!);
}

function datePart(date: Date, time: number, part: DatePart): number {
  switch (part) {
    case 'year':
      return date.getUTCFullYear();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'day':
      return date.getUTCDate();
    case 'weekday':
      // ISO: Monday 1 … Sunday 7 (getUTCDay has Sunday 0).
      return ((date.getUTCDay() + 6) % 7) + 1;
    case 'hour':
      return date.getUTCHours();
    case 'epoch_days':
      return time / MS_PER_DAY;
  }
}
