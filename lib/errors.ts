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
