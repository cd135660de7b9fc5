/** One error taxonomy for the core; translated to HTTP statuses in api/ and to Temporal failures in activities/. */
export class KilnError extends Error {
  constructor(message: string, readonly details: Record<string, unknown> = {}) { super(message); this.name = new.target.name; }
}
/** Bad input from a user: config, record, file. Never retried. */
export class InputError extends KilnError {}
export class NotFoundError extends KilnError {}
/** The state changed under us (a concurrent promotion, a duplicate). */
export class ConflictError extends KilnError {}
export class NotAllowedError extends KilnError {}

/** `features.steps[2].column` from a zod issue's path: list indices in brackets, as the YAML reader counts them. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}
