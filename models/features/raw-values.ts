/**
 * How raw values (a CSV cell, a JSON field) become model inputs. Training and serving both go through
 * these functions, so the same record always yields the same numbers.
 */
export type RawValue = string | number | boolean | null | undefined;
export type RawRecord = Record<string, RawValue>;

/** Number of a raw value; NaN means missing. `undefined` when the value is not a number at all. */
export function parseNumeric(value: RawValue): number | undefined {
  if (value === null || value === undefined) return NaN;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    // Whitespace-only cells are missing values (Telco's TotalCharges writes them as " ").
    if (text === '') return NaN;
    const number = Number(text);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** Category label of a raw value; `null` means missing. */
export function parseCategory(value: RawValue): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}
