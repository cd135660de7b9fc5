// The server that bench/serving-bench.ts loads, in processes of its own as `kiln serve` runs (nothing of
// the bench's training shares its event loop): the API plus `POST /constant`, a route that reads the
// JSON body and answers a constant, as the baseline. Workers share the port through node:cluster.
//   env: PORT, DATABASE_URL, KILN_ARTIFACTS, KILN_BENCH_WORKERS (default 1), KILN_BENCH_LOG=off (log nothing)
import cluster from 'node:cluster';
import { serve, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import pino from 'pino';
import { createApp } from '../api/app';
import { ModelCache } from '../api/model-cache';
import { PredictionLogWriter } from '../api/prediction-log-writer';
import { openPredictionLogging } from '../api/prediction-logging';
import { openResources } from '../lib/resources';

const workers = Number(process.env.KILN_BENCH_WORKERS ?? 1);

async function serveOne() {
  const resources = await openResources({ databaseUrl: process.env.DATABASE_URL!, artifactsDir: process.env.KILN_ARTIFACTS! });
  const logger = pino({ level: 'silent' });
  const models = new ModelCache({ registry: resources.registry, artifacts: resources.artifacts, logger });
  // The log as startApiServer opens it; without logging, rows are still queued by the requests but never
  // written: what remains is the request path.
  const logging = openPredictionLogging(resources.db, { logger });
  const { store } = logging;
  const writer = process.env.KILN_BENCH_LOG === 'off' ? new PredictionLogWriter({ log: { insertRequestLogs: async () => {} }, logger }) : logging.writer;
  writer.start();
  const constant = async (c: Context) => {
    await c.req.json();
    return c.json({ ok: true });
  };
  // /constant on a bare app (the floor), /constant/api on the API's app behind its middleware (what every
  // route pays). The API's app serves everything else as `kiln serve` does: mounting it in another app
  // would wrap each of its handlers in one more error-handling layer.
  const floor = new Hono().post('/constant', constant);
  const api = createApp({ registry: resources.registry, artifacts: resources.artifacts, models, logger, predictionLog: { writer, store } }).post('/constant/api', constant);
  const fetch = (request: Request, env: HttpBindings | Http2Bindings) => (env.incoming.url === '/constant' ? floor : api).fetch(request, env);
  const server = serve({ fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
  process.once('SIGTERM', () => {
    server.close(async () => {
      await writer.close();
      await logging.close();
      models.stop();
      await resources.close();
      process.exit(0);
    });
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
}

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
  });
} else {
  serveOne().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
