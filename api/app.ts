import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import type { PredictionLog, Registry } from '../db';
import type { ArtifactStore } from '../lib/artifact-store';
import { bodySizeLimit } from './body-size';
import { DriftBaselines } from './drift-baselines';
import type { ApiEnv } from './env';
import { errorHandler } from './errors';
import { createApiMetrics } from './metrics';
import type { ModelCache } from './model-cache';
import type { PredictionLogWriter } from './prediction-log-writer';
import { requestIds } from './request-ids';
import { adminRoutes } from './routes/admin';
import { feedbackRoutes } from './routes/feedback';
import { docsRoutes } from './routes/docs';
import { modelRoutes } from './routes/models';
import { monitoringRoutes } from './routes/monitoring';
import { predictRoutes } from './routes/predict';

export interface ApiOptions {
  registry: Registry;
  /** Where the dataset snapshots behind drift baselines are read. */
  artifacts: Pick<ArtifactStore, 'get'>;
  models: ModelCache;
  logger: Logger;
  /** Origins allowed to call the API from a browser (`*` for any); none by default. */
  corsOrigins?: string[];
  /** Bearer token of the admin routes; without one they answer 403. */
  adminToken?: string;
  /** Where answered predictions are logged (asynchronously), feedback labels stored, and both read for monitoring. */
  predictionLog: { writer: PredictionLogWriter; store: Pick<PredictionLog, 'recordFeedback' | 'recentInputs' | 'predictionsSince' | 'feedbackAccuracy'> };
  /** Largest accepted request body. Default 16 MiB: a batch of 10,000 records fits. */
  maxBodyBytes?: number;
}

export function createApp({ registry, artifacts, models, logger, predictionLog, adminToken, corsOrigins = [], maxBodyBytes = 16 << 20 }: ApiOptions) {
  const metrics = createApiMetrics(predictionLog.writer);
  const app = new Hono<ApiEnv>().use(metrics.middleware);
  if (corsOrigins.length > 0) app.use(cors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins, exposeHeaders: ['X-Request-Id'] }));
  return app
    .use(requestIds())
    .use(bodySizeLimit(maxBodyBytes))
    .get('/health', (c) => c.json({ status: 'ok', pid: process.pid }))
    // Ready means: the database answers and the default model is loaded, so a prediction would succeed.
    .get('/ready', async (c) => {
      try {
        await registry.listModels();
        const served = await models.get(await models.defaultModel());
        return c.json({ status: 'ready', model: served.name, model_version: served.version.version });
      } catch (error) {
        return c.json({ status: 'not ready', reason: (error as Error).message }, 503);
      }
    })
    .get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }))
    .route('/', predictRoutes({ models, metrics, logWriter: predictionLog.writer }))
    .route('/', feedbackRoutes({ store: predictionLog.store, writer: predictionLog.writer }))
    .route('/', modelRoutes({ registry, models, artifacts }))
    .route('/', adminRoutes({ registry, models, adminToken }))
    .route('/', docsRoutes({ registry, models }))
    .route('/', monitoringRoutes({ registry, models, store: predictionLog.store, baselines: new DriftBaselines({ registry, artifacts }) }))
    .notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404))
    .onError(errorHandler(logger));
}

export type AppType = ReturnType<typeof createApp>;
