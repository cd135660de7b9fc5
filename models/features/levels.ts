/** Rows per level (missing values not counted). */
export function levelCounts(values: ReadonlyArray<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Code-unit order, the same on every machine (localeCompare is not): levels are stored in it. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
