import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { ConflictError, InputError, KilnError, NotAllowedError, NotFoundError } from '../lib/errors';

const statusOf = new Map<Function, 403 | 404 | 409 | 422>([
  [InputError, 422],
  [NotFoundError, 404],
  [ConflictError, 409],
  [NotAllowedError, 403],
]);

/** The one table from core errors to HTTP answers; anything unexpected is logged and becomes a 500. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof HTTPException) return error.getResponse();
    const status = error instanceof KilnError ? statusOf.get(error.constructor) : undefined;
    if (status) {
      const field = error instanceof KilnError ? error.details.field : undefined;
      return c.json({ error: error.message, ...(field ? { issues: [{ field, message: error.message }] } : {}) }, status);
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal error' }, 500);
  };
}

/** The request's JSON body, parsed and as text; a body that is not JSON is a 400 naming the problem. */
export async function readJsonText(c: Context): Promise<{ value: unknown; text: string }> {
  try {
    const text = await c.req.text();
    return { value: JSON.parse(text), text };
  } catch {
    throw new HTTPException(400, { res: Response.json({ error: 'the request body must be JSON' }, { status: 400 }) });
  }
}

/** The request's JSON body; a body that is not JSON is a 400 naming the problem. */
export async function readJson(c: Context): Promise<unknown> {
  return (await readJsonText(c)).value;
}
