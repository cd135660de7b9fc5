import { InputError } from '../lib/errors';

/** Model and dataset names end up in URLs, artifact keys and dataset ids (`name@hash`): keep them plain. */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkName(field: string, value: unknown): void {
  if (typeof value !== 'string' || !namePattern.test(value)) {
    throw new InputError(`${field}: expected letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit), got "${String(value)}"`, {
      [field]: value,
    });
  }
}

export function checkText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`${field}: expected a non-empty string, got "${String(value)}"`, { [field]: value });
}

export function checkMetrics(metrics: unknown): void {
  checkObject('metrics', metrics);
  for (const [name, value] of Object.entries(metrics as Record<string, unknown>)) {
    // JSON would silently turn NaN and Infinity into null.
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InputError(`metrics.${name}: expected a finite number, got ${String(value)}`, { metric: name, value });
    }
  }
}

export function checkObject(field: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${field}: expected an object, got ${JSON.stringify(value)}`, { [field]: value });
  }
}

/** Versions arrive from URLs and CLI arguments: refuse NaN or 1.5 here rather than as a driver error. */
export function checkVersion(value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new InputError(`version: expected a positive integer, got ${String(value)}`, { version: value });
  }
}

/** A checksum of an artifact: a 64-digit lower-case hex sha256 and a size in bytes. */
export function checkChecksum(field: string, value: unknown): void {
  checkObject(field, value);
  const { sha256, size } = value as { sha256?: unknown; size?: unknown };
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InputError(`${field}.sha256: expected 64 lower-case hex digits, got ${JSON.stringify(sha256)}`, { [field]: value });
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new InputError(`${field}.size: expected a whole number of bytes, got ${JSON.stringify(size)}`, { [field]: value });
  }
}
