import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { Registry } from '../db';
import { bodySizeLimit } from './body-size';
import type { ApiEnv } from './env';
import { errorHandler } from './errors';
import type { ModelCache } from './model-cache';
import { docsRoutes } from './routes/docs';
import { modelRoutes } from './routes/models';
import { predictRoutes } from './routes/predict';

export interface ApiOptions {
  registry: Registry;
  models: ModelCache;
  logger: Logger;
  /** Largest accepted request body. Default 16 MiB: a batch of 10,000 records fits. */
  maxBodyBytes?: number;
}

export function createApp({ registry, models, logger, maxBodyBytes = 16 << 20 }: ApiOptions) {
  return new Hono<ApiEnv>()
    .use(requestId())
    .use(bodySizeLimit(maxBodyBytes))
    .get('/health', (c) => c.json({ status: 'ok' }))
    .route('/', predictRoutes({ models }))
    .route('/', modelRoutes({ registry, models }))
    .route('/', docsRoutes({ registry, models }))
    .notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404))
    .onError(errorHandler(logger));
}

export type AppType = ReturnType<typeof createApp>;
