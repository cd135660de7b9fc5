import { InputError } from '../../lib/errors';

/** Validation for factory options: each error names the option and the value received. */
export function checkInteger(owner: string, option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InputError(`${owner}: ${option} must be an integer ≥ ${min}, got ${JSON.stringify(value) ?? String(value)}`, { option, value });
  }
  return value;
}

export function checkNumber(owner: string, option: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new InputError(`${owner}: ${option} must be a number ${range}, got ${JSON.stringify(value) ?? String(value)}`, { option, value });
  }
  return value;
}

export function checkBoolean(owner: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InputError(`${owner}: ${option} must be true or false, got ${JSON.stringify(value) ?? String(value)}`, { option, value });
  return value;
}

/** Seeds are 32-bit: mulberry32 keeps `seed >>> 0`, so larger integers would alias. */
export function checkSeed(owner: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new InputError(`${owner}: seed must be an integer in [0, 2^32), got ${JSON.stringify(value) ?? String(value)}`, { option: 'seed', value });
  }
  return value;
}
