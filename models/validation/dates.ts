import { parseDate } from '../features/dates';
import type { ColumnView } from './columns';

/**
 * Milliseconds since 1970-01-01 UTC of an ISO date or date-time, or `undefined` when the text is none
 * (blank included) or names an impossible one (`2021-02-30`, `25:00`). It is the feature pipeline's
 * parser, so validation accepts exactly the dates that training and serving can read.
 *
 * @example parseIsoDate('1970-01-01 01:00:00') // 3_600_000
 */
export function parseIsoDate(text: string): number | undefined {
  const time = parseDate(text);
  return time === undefined || Number.isNaN(time) ? undefined : time;
}

const parsedDates = new WeakMap<ColumnView, Float64Array>();

/**
 * The column's values as instants, NaN where missing or not a date; parsed once per view, since the
 * declared-date check and the leakage check both need them (a million timestamps take a while).
 */
export function datesOf(view: ColumnView): Float64Array {
  let times = parsedDates.get(view);
  if (!times) {
    times = Float64Array.from(view.values, (value, i) => (view.missing[i] || typeof value !== 'string' ? NaN : (parseIsoDate(value) ?? NaN)));
    parsedDates.set(view, times);
  }
  return times;
}
