import { ApplicationFailure } from '@temporalio/common';
import { InputError, KilnError, NotFoundError } from '../lib/errors';

/**
 * The one place where core errors become Temporal failures: bad input and missing things will not get
 * better by retrying, so they fail the activity for good; everything else is retried by the policy.
 */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof InputError || error instanceof NotFoundError) {
    return ApplicationFailure.create({ message: error.message, type: error.name, nonRetryable: true, details: [error.details] });
  }
  if (error instanceof KilnError) {
    return ApplicationFailure.create({ message: error.message, type: error.name, details: [error.details] });
  }
  return error;
}

/** Wraps every activity of a group so its errors go through toActivityFailure. */
export function withFailureMapping<T extends Record<string, (...args: any[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw toActivityFailure(error);
      }
    };
  }
  return wrapped as T;
}
