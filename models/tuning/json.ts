/** A value that survives `JSON.stringify` → `JSON.parse` unchanged (no NaN, no Infinity, no undefined). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Numbers as stored in snapshots. JSON has no NaN or ±Infinity, and a pruned curve may hold NaN, so those
 * travel as strings; finite numbers stay numbers.
 */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export function encodeNumber(value: number): JsonNumber {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

export function decodeNumber(value: JsonNumber): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Object keys in sorted order: every loop over a search space or params must be order-stable. */
export function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(record).sort();
}

/** A deep copy through JSON; also proves the value is JSON-safe. */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
