import type { HttpBindings } from '@hono/node-server';

/**
 * Variables every route can read from the context, and the Node request and response when served by
 * @hono/node-server (absent when the app is called in process, as tests do with `app.request`).
 */
export type ApiEnv = { Variables: { requestId: string }; Bindings: Partial<HttpBindings> | undefined };
