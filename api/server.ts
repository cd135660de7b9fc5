import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import type { KilnResources } from '../lib/resources';
import { createApp } from './app';
import { ModelCache } from './model-cache';

export interface ApiServerOptions {
  resources: KilnResources;
  logger: Logger;
  port: number;
  hostname?: string;
  defaultModel?: string;
  refreshMs?: number;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the API over HTTP; port 0 picks a free port (see `url`). */
export async function startApiServer({ resources, logger, port, hostname = '0.0.0.0', defaultModel, refreshMs }: ApiServerOptions): Promise<ApiServer> {
  const models = new ModelCache({ registry: resources.registry, artifacts: resources.artifacts, logger, refreshMs, defaultModel });
  const app = createApp({ registry: resources.registry, models, logger });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port, hostname }, () => resolve(started));
    started.once('error', reject);
  });
  models.start();
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    close: async () => {
      models.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
