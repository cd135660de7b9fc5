import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * 413 for bodies over `maxBytes`. A declared Content-Length is checked directly; only bodies without one
 * (chunked) go through Hono's bodyLimit, which re-wraps the body stream and would halve the request
 * rate of small JSON requests if applied to all of them.
 */
export function bodySizeLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = { error: `request body larger than ${maxBytes} bytes` };
  const streaming = bodyLimit({ maxSize: maxBytes, onError: (c) => c.json(tooLarge, 413) });
  // Not async, as requestIds.
  return (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined) return streaming(c, next);
    if (Number(declared) > maxBytes) return Promise.resolve(c.json(tooLarge, 413));
    return next();
  };
}
