import assert from 'node:assert/strict';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ModelCache } from '../../api/model-cache';
import { PredictionLogWriter } from '../../api/prediction-log-writer';
import type { PredictionLog, Registry } from '../../db';
import type { ArtifactStore } from '../../lib/artifact-store';

describe('CORS', () => {
  const logger = pino({ level: 'silent' });
  // Preflight and /health touch neither the registry, the models, the artifacts nor the prediction log's reads.
  const app = (corsOrigins?: string[]) =>
    createApp({
      registry: {} as Registry,
      artifacts: {} as ArtifactStore,
      models: {} as ModelCache,
      logger,
      corsOrigins,
      predictionLog: { writer: new PredictionLogWriter({ logger, log: { insertRequestLogs: async () => {} } }), store: {} as PredictionLog },
    });
  const preflight = (origin: string) => ({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });

  it('answers preflights from configured origins only', async () => {
    const configured = app(['https://app.example']);
    const allowed = await configured.request('/predict', preflight('https://app.example'));
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    const other = await configured.request('/predict', preflight('https://evil.example'));
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('sends no CORS headers when none are configured', async () => {
    const response = await app().request('/health', { headers: { origin: 'https://app.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});
