// Serving benchmark: POST /predict on the Telco model vs a constant-JSON route on the same server,
// in the same run, loaded by autocannon from a second process. Prints a Markdown table.
//   npx tsx bench/serving-bench.ts            (KILN_BENCH_SECONDS=10 KILN_BENCH_CONNECTIONS=50 by default)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pino from 'pino';
import { createApp } from '../api/app';
import { ModelCache } from '../api/model-cache';
import { PredictionLogWriter } from '../api/prediction-log-writer';
import { createPredictionLog } from '../db';
import { openResources } from '../lib/resources';
import { projectRoot } from '../lib/settings';
import { telcoRecords, trainTelcoModel } from '../test/api/telco-model';

const seconds = Number(process.env.KILN_BENCH_SECONDS ?? 10);
const connections = Number(process.env.KILN_BENCH_CONNECTIONS ?? 50);

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-serving-bench-'));
  const resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
  // Trained as the pipeline does, through the activities, without a Temporal server.
  await trainTelcoModel(resources);

  const logger = pino({ level: 'silent' });
  const models = new ModelCache({ registry: resources.registry, artifacts: resources.artifacts, logger });
  // Predictions are logged to the database as in production: the writer batches them off the request path.
  const store = createPredictionLog(resources.db);
  const writer = new PredictionLogWriter({ log: store, logger });
  writer.start();
  const app = new Hono()
    .post('/constant', async (c) => {
      await c.req.json();
      return c.json({ ok: true });
    })
    .route('/', createApp({ registry: resources.registry, artifacts: resources.artifacts, models, logger, predictionLog: { writer, store } }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const records = telcoRecords().slice(0, 1000);
  const body = JSON.stringify(records[0]);
  const batchBody = JSON.stringify(records);
  const check = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (check.status !== 200) throw new Error(`predict answered ${check.status}: ${await check.text()}`);

  const bodyFile = (payload: string) => {
    const file = path.join(tmp, `body-${payload.length}.json`);
    fs.writeFileSync(file, payload);
    return file;
  };
  // autocannon runs in a child process, so the load generator does not share this server's event loop.
  const load = async (route: string, payload = body, clients = connections) => {
    const { stdout: out } = await promisify(execFile)(
      path.join(projectRoot, 'node_modules/.bin/autocannon'),
      ['-j', '-c', String(clients), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-i', bodyFile(payload), `${base}${route}`],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    const result = JSON.parse(out);
    return { rps: result.requests.average as number, p50: result.latency.p50 as number, p99: result.latency.p99 as number, errors: result.errors + result.non2xx };
  };
  const results: Array<[string, Awaited<ReturnType<typeof load>>]> = [];
  for (const route of ['/constant', '/predict']) results.push([route, await load(route)]);
  // Batches are latency-bound: one connection shows the time of one 1,000-record request.
  results.push(['/predict/batch (1,000 records, 1 connection)', await load('/predict/batch', batchBody, 1)]);
  const floor = results[0]![1].rps;
  console.log(`\nServing, ${connections} connections, ${seconds} s each, loopback, one Telco record (${os.cpus().length} cores)\n`);
  console.log('| route | req/s | p50 ms | p99 ms | errors | vs constant |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [route, r] of results) console.log(`| POST ${route} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${(r.rps / floor).toFixed(2)} |`);
  server.close();
  await writer.close();
  console.log(`\nprediction log: ${await store.countPredictions()} rows written, ${writer.dropped} dropped`);
  models.stop();
  await resources.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
