import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { Registry } from '../db';
import { NotFoundError } from '../lib/errors';
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
  /** The model `POST /predict` serves; default: the only model with a production version. */
  defaultModel?: string;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
}

export function createApp({ registry, models, logger, defaultModel, maxBodyBytes = 1 << 20 }: ApiOptions) {
  const resolveDefaultModel = async (): Promise<string> => {
    if (defaultModel) return defaultModel;
    const served = (await registry.listModels()).filter((model) => model.productionVersion !== undefined);
    if (served.length === 1) return served[0]!.name;
    throw new NotFoundError(
      served.length === 0
        ? 'no model has a production version yet: run a training pipeline first'
        : `several models are in production (${served.map((m) => m.name).join(', ')}): set KILN_DEFAULT_MODEL or call /models/{name}/predict`,
    );
  };

  return new Hono<ApiEnv>()
    .use(requestId())
    .use(bodyLimit({ maxSize: maxBodyBytes, onError: (c) => c.json({ error: `request body larger than ${maxBodyBytes} bytes` }, 413) }))
    .get('/health', (c) => c.json({ status: 'ok' }))
    .route('/', predictRoutes({ models, defaultModel: resolveDefaultModel }))
    .route('/', modelRoutes({ registry, models }))
    .route('/', docsRoutes({ registry, models }))
    .notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404))
    .onError(errorHandler(logger));
}

export type AppType = ReturnType<typeof createApp>;
