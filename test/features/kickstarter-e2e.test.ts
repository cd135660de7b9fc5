import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import pl from 'nodejs-polars';
import pino from 'pino';
import type { HoldoutPredictions } from '../../activities/evaluation';
import { startApiServer, type ApiServer } from '../../api/server';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { findTemporalCli } from '../../lib/temporal-server';
import { startTraining } from '../../lib/training-client';
import type { FeaturePipelineState } from '../../models/features/feature-pipeline';
import { createKilnWorker } from '../../worker/worker';

// The Kickstarter config through the real path: a Temporal dev server, the worker's activities, XGBoost,
// SQLite and the HTTP API, which must score raw rows exactly as the training run did.
describe('Kickstarter feature pipeline end to end', function () {
  this.timeout(300_000);
  const taskQueue = `e2e-features-${process.pid}`;
  let env: TestWorkflowEnvironment;
  let tmp: string;
  let resources: KilnResources;
  let worker: Worker;
  let running: Promise<void>;
  let api: ApiServer;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-features-e2e-'));
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    worker = await createKilnWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, dependencies: resources });
    running = worker.run();
    api = await startApiServer({ resources, logger: pino({ level: 'silent' }), port: 0, hostname: '127.0.0.1', refreshMs: 100, logFlushMs: 100, adminToken: 'e2e-secret' });
  });

  after(async () => {
    await api?.close();
    worker?.shutdown();
    await running;
    await resources?.close();
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const predict = (body: unknown) => fetch(`${api.url}/models/kickstarter/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('trains on launch-time features of successful and failed projects, and serves raw rows as trained', async () => {
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/kickstarter.yaml'));
    const result = await (await startTraining(env.client, { taskQueue }, config)).result();
    assert.equal(result.promoted, true);
    assert.ok(result.metrics.roc_auc > 0.7, `holdout ROC-AUC ${result.metrics.roc_auc}`);
    assert.ok(result.metrics.roc_auc > result.baselines.logistic_regression.roc_auc, `logistic baseline ${result.baselines.logistic_regression.roc_auc}`);

    // Only successful and failed projects, split 80/20; the pipeline saw the training rows only.
    const raw = (pl.readCSV(path.join(projectRoot, 'data/kickstarter-2018-sample.csv'), { inferSchemaLength: 0 }).toRecords() as Array<Record<string, string>>).filter((row) => row.state === 'successful' || row.state === 'failed');
    const holdout = resources.artifacts.getJson<HoldoutPredictions>(result.predictionsKey);
    assert.equal(raw.length, 8768);
    assert.equal(holdout.rows.length, 1754);
    const production = (await resources.registry.getProductionVersion('kickstarter'))!;
    const state = resources.artifacts.getJson<FeaturePipelineState>(production.pipelineKey);
    assert.equal(state.fit?.rows, 8768 - 1754);
    const testRows = new Set(holdout.rows);
    const trainingCategories = new Set(raw.filter((_, row) => !testRows.has(row)).map((row) => row.category));
    const encoder = state.encoders.find((e) => e.type === 'target')!;
    assert.ok(encoder.type === 'target');
    assert.deepEqual(new Set(encoder.levels), trainingCategories);
    assert.deepEqual(state.inputs.map((input) => input.name).sort(), ['category', 'country', 'currency', 'deadline', 'launched', 'main_category', 'name', 'usd_goal_real']);

    // Raw rows as text, including the 1970 launch and a junk country when the holdout has them.
    const strange = holdout.rows.findIndex((row) => raw[row]!.launched!.startsWith('1970') || raw[row]!.country === 'N,0"');
    for (const i of [0, 1, holdout.rows.length - 1, ...(strange >= 0 ? [strange] : [])]) {
      const { state: outcome, ...record } = raw[holdout.rows[i]!]!;
      const response = await predict(record);
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as { probability: number; prediction: string };
      assert.ok(Math.abs(body.probability - holdout.probabilities[i]!) <= 1e-6, `row ${holdout.rows[i]}: API ${body.probability} vs training ${holdout.probabilities[i]}`);
      assert.ok(body.prediction === 'successful' || body.prediction === 'failed', `${outcome} → ${body.prediction}`);
    }

    // Dates and text are validated by kind, per field.
    const { state: _, ...record } = raw[holdout.rows[0]!]!;
    const bad = await predict({ ...record, launched: 'next Tuesday', name: 12 });
    assert.equal(bad.status, 422);
    assert.deepEqual(((await bad.json()) as { issues: unknown }).issues, [
      { field: 'name', message: 'expected a string, or null for a missing value' },
      { field: 'launched', message: 'expected a date (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601 such as 2018-03-01T12:00:00Z), or null for a missing value' },
    ]);
    const described = (await (await fetch(`${api.url}/models/kickstarter`)).json()) as { input_schema: Array<{ name: string; kind: string }> };
    assert.deepEqual(described.input_schema.filter((input) => input.kind === 'date' || input.kind === 'text').map((input) => `${input.name}:${input.kind}`), ['name:text', 'deadline:date', 'launched:date']);
  });
});
