import type { Context } from 'hono';
import { InputError } from '../lib/errors';

/**
 * An integer query parameter within [min, max], `fallback` when absent; anything else is an InputError
 * naming the parameter (a 422).
 */
export function integerParam(c: Context, name: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`${name}: expected an integer from ${min} to ${max}, got "${text}"`, { field: name });
  }
  return value;
}

/** A true/false query parameter (`true`, `1`, `false`, `0`), false when absent. */
export function booleanParam(c: Context, name: string): boolean {
  const text = c.req.query(name);
  if (text === undefined || text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1' || text === '') return true;
  throw new InputError(`${name}: expected true or false, got "${text}"`, { field: name });
}
