import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import type { KilnResources } from '../lib/resources';
import { createApp } from './app';
import { ModelCache } from './model-cache';
import { openPredictionLogging } from './prediction-logging';

export interface ApiServerOptions {
  resources: KilnResources;
  logger: Logger;
  port: number;
  hostname?: string;
  defaultModel?: string;
  adminToken?: string;
  corsOrigins?: string[];
  refreshMs?: number;
  /** How often the prediction log is written. Default 1000 ms. */
  logFlushMs?: number;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the API over HTTP; port 0 picks a free port (see `url`). */
export async function startApiServer({ resources, logger, port, hostname = '0.0.0.0', defaultModel, adminToken, corsOrigins, refreshMs, logFlushMs }: ApiServerOptions): Promise<ApiServer> {
  const models = new ModelCache({ registry: resources.registry, artifacts: resources.artifacts, logger, refreshMs, defaultModel });
  const logging = openPredictionLogging(resources.db, { logger, flushMs: logFlushMs });
  const { store, writer } = logging;
  const app = createApp({ registry: resources.registry, artifacts: resources.artifacts, models, logger, adminToken, corsOrigins, predictionLog: { writer, store } });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port, hostname }, () => resolve(started));
    started.once('error', reject);
  });
  models.start();
  writer.start();
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    close: async () => {
      // Stop taking requests, let in-flight ones finish, then write what they logged.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold close() open; busy ones finish their request first.
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await closed;
      await logging.close();
      models.stop();
    },
  };
}
