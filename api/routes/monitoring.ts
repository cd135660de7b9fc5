import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import type { PredictionLog, Registry } from '../../db';
import { computeDrift, summarizeTraffic, trafficSince } from '../../models/monitoring';
import type { DriftBaselines } from '../drift-baselines';
import type { ApiEnv } from '../env';
import type { ModelCache } from '../model-cache';
import { integerParam } from '../query-params';

export interface MonitoringRoutesOptions {
  registry: Pick<Registry, 'listModelVersions'>;
  models: ModelCache;
  store: Pick<PredictionLog, 'recentInputs' | 'predictionsSince' | 'feedbackAccuracy'>;
  baselines: Pick<DriftBaselines, 'get'>;
  /** Most logged predictions read for the traffic summary. Default 50,000. */
  maxTrafficRows?: number;
}

/**
 * `GET /models/{name}/drift?window=N`: the production version's newest N logged predictions against its
 * training baseline. `GET /models/{name}/monitoring?minutes=M`: traffic over the last M minutes, the
 * versions with their stages and metrics, and accuracy where feedback labels exist.
 * `GET /dashboard`: one page polling both.
 */
export function monitoringRoutes({ registry, models, store, baselines, maxTrafficRows = 50_000 }: MonitoringRoutesOptions) {
  const dashboard = fs.readFileSync(path.join(__dirname, '../dashboard.html'), 'utf8');

  return new Hono<ApiEnv>()
    .get('/dashboard', (c) => c.html(dashboard))
    .get('/models/:name/drift', async (c) => {
      const window = integerParam(c, 'window', { min: 1, max: 50_000, fallback: 1000 });
      const served = await models.get(c.req.param('name'));
      const [rows, baseline] = await Promise.all([store.recentInputs(served.name, served.version.version, window), baselines.get(served)]);
      return c.json({ model: served.name, model_version: served.version.version, window, report: computeDrift(baseline, rows) });
    })
    .get('/models/:name/monitoring', async (c) => {
      const minutes = integerParam(c, 'minutes', { min: 1, max: 60, fallback: 10 });
      const name = c.req.param('name');
      const now = new Date();
      const since = trafficSince(minutes, now).toISOString();
      const [versions, rows, feedback] = await Promise.all([registry.listModelVersions(name), store.predictionsSince(name, since, maxTrafficRows), store.feedbackAccuracy(name)]);
      return c.json({
        model: name,
        production_version: versions.find((version) => version.stage === 'production')?.version ?? null,
        versions: versions.map(({ version, stage, metrics, datasetId, createdAt }) => ({ version, stage, metrics, dataset_id: datasetId, created_at: createdAt })),
        // Past the row cap only the newest rows are counted, so older minutes show less than they served.
        traffic: { ...summarizeTraffic(rows, { minutes, now }), truncated: rows.length === maxTrafficRows },
        feedback: feedback.map(({ modelVersion, labelled, correct }) => ({ model_version: modelVersion, labelled, correct, accuracy: correct / labelled })),
      });
    });
}
