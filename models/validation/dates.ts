/**
 * ISO dates as the datasets write them: `YYYY-MM-DD`, optionally followed by ` HH:MM[:SS]` (a space or
 * a `T`). Times carry no zone and are read as UTC, so the same text gives the same instant everywhere.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Milliseconds since 1970-01-01 UTC, or `undefined` when the text is not an ISO date or names an
 * impossible one (`2021-02-30`, `25:00`). Surrounding whitespace is ignored.
 *
 * @example parseIsoDate('1970-01-01 01:00:00') // 3_600_000
 */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month! < 1 || month! > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const time = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  // Date.UTC rolls 02-30 over to 03-02; a round trip catches it.
  if (new Date(time).getUTCDate() !== day) return undefined;
  return time;
}
