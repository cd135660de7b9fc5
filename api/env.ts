import type { RequestIdVariables } from 'hono/request-id';

/** Variables every route can read from the context. */
export type ApiEnv = { Variables: RequestIdVariables };
