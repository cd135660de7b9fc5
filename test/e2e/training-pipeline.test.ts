import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { isCancellation } from '@temporalio/workflow';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pl from 'nodejs-polars';
import pino from 'pino';
import type { HoldoutPredictions } from '../../activities/evaluation';
import { startApiServer, type ApiServer } from '../../api/server';
import { createPredictionLog } from '../../db';
import { NotFoundError } from '../../lib/errors';
import { loadPipelineConfig, type PipelineConfig } from '../../lib/pipeline-config';
import type { KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { findTemporalCli } from '../../lib/temporal-server';
import { startTraining } from '../../lib/training-client';
import { startKilnTestStack, type KilnTestStack } from '../support/kiln-stack';
import { datasetVersionKey, modelNameKey, outcomeKey } from '../../workflows/search-attributes';
import { progressQuery } from '../../workflows/training-pipeline';
import { stopStudySignal, studyProgressQuery } from '../../workflows/tuning-study';

// The whole skeleton, real parts only: a Temporal dev server, the worker with real activities,
// XGBoost through koffi, SQLite, and the HTTP API.
describe('training pipeline end to end', function () {
  this.timeout(300_000);
  let stack: KilnTestStack;
  let env: TestWorkflowEnvironment;
  let tmp: string;
  let resources: KilnResources;
  let taskQueue: string;
  let api: ApiServer;
  let config: PipelineConfig;

  before(async () => {
    stack = await startKilnTestStack('e2e');
    ({ env, tmp, resources, taskQueue } = stack);
    api = await startApiServer({ resources, logger: pino({ level: 'silent' }), port: 0, hostname: '127.0.0.1', refreshMs: 100, logFlushMs: 100, adminToken: 'e2e-secret' });
    config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
  });

  after(async () => {
    await api?.close();
    await stack?.close();
  });

  /**
   * With KILN_RECORD_HISTORIES=1, keeps a run's history as a replay fixture (test/fixtures/histories),
   * exported by the Temporal CLI in the JSON form the SDK's replayer reads.
   */
  const recordHistory = (handle: { workflowId: string; firstExecutionRunId: string }, name: string) => {
    if (process.env.KILN_RECORD_HISTORIES !== '1') return;
    const folder = path.join(projectRoot, 'test/fixtures/histories');
    fs.mkdirSync(folder, { recursive: true });
    const json = execFileSync(findTemporalCli(), ['workflow', 'show', '--address', env.address, '-w', handle.workflowId, '-r', handle.firstExecutionRunId, '-o', 'json']);
    // The replayer needs the real workflow id (child workflow ids derive from it): it leads the file name.
    fs.writeFileSync(path.join(folder, `${handle.workflowId}__${name}.json`), json);
  };

  const post = (route: string, body: unknown) =>
    fetch(`${api.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is alive but not ready before any model is in production', async () => {
    assert.equal((await fetch(`${api.url}/health`)).status, 200);
    const ready = await fetch(`${api.url}/ready`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { reason: string }).reason, /no model has a production version yet/);
  });

  it('trains, registers and promotes the first version, and the API serves it with the training run\'s probabilities', async () => {
    const handle = await startTraining(env.client, { taskQueue }, config);
    const result = await handle.result();
    recordHistory(handle, 'training-pipeline-first-version');
    assert.equal(result.version, 1);
    assert.equal(result.promoted, true);
    assert.ok(result.metrics.roc_auc > 0.8, `holdout ROC-AUC ${result.metrics.roc_auc}`);
    // Telco's 22 rows that repeat another apart from customerID: a warning, kept in the report.
    assert.equal(result.validation.warnings, 1);
    const report = resources.artifacts.getJson<{ findings: Array<{ check: string }>; profile: unknown }>(result.validation.reportKey);
    assert.ok(report.findings.some((finding) => finding.check === 'duplicate-rows') && report.profile);
    const [low, high] = result.intervals.roc_auc;
    assert.ok(low < result.metrics.roc_auc && result.metrics.roc_auc < high && high - low < 0.1, `CI ${low}–${high}`);
    assert.equal(result.baselines.majority_class.roc_auc, 0.5);
    assert.ok(result.baselines.logistic_regression.roc_auc > 0.75, `logistic baseline ${result.baselines.logistic_regression.roc_auc}`);
    assert.equal((await resources.registry.getProductionVersion('telco-churn'))?.version, 1);
    // What the Web UI shows and filters on: search attributes, memo, and the progress query.
    const described = await handle.describe();
    assert.equal(described.typedSearchAttributes.get(modelNameKey), 'telco-churn');
    assert.equal(described.typedSearchAttributes.get(datasetVersionKey), result.datasetId);
    assert.equal(described.typedSearchAttributes.get(outcomeKey), 'promoted');
    assert.equal(((await described.memo) as { rounds: number }).rounds, config.training.rounds);
    const { features, ...progress } = await handle.query(progressQuery);
    assert.deepEqual(progress, { stage: 'done', datasetId: result.datasetId, version: 1 });
    assert.equal((features?.fittedSets ?? 0) + (features?.reusedSets ?? 0), 1, 'buildFeatures: one set (no tuning, a fixed threshold), fitted or reused');
    // The run's own record, and the version's checksums, code version and model card.
    const run = await resources.registry.getRun(handle.workflowId, handle.firstExecutionRunId);
    assert.deepEqual([run.status, run.outcome, run.datasetId, run.modelVersion, run.error], ['completed', 'promoted', result.datasetId, 1, null]);
    assert.equal((run.config as { name: string }).name, 'telco-churn');
    const registered = await resources.registry.getModelVersion('telco-churn', 1);
    assert.equal(registered.modelChecksum?.sha256, registered.modelKey.slice('sha256:'.length));
    assert.ok(registered.codeVersion);
    const card = await fetch(`${api.url}/models/telco-churn/versions/1/card`);
    assert.equal(card.status, 200);
    const cardText = await card.text();
    assert.match(cardText, /^# telco-churn, version 1\n/);
    assert.match(cardText, new RegExp(`run \`${handle.firstExecutionRunId}\``));
    assert.match(cardText, /## Top features\n[^#]*\| 1 \| Contract \|/);

    // Raw CSV rows, every value as the text in the file: the API must turn them into the same numbers.
    const raw = pl.readCSV((config.source as { path: string }).path, { inferSchemaLength: 0 }).toRecords() as Array<Record<string, string>>;
    const holdout = resources.artifacts.getJson<HoldoutPredictions>(result.predictionsKey);
    const blankTotal = holdout.rows.findIndex((row) => raw[row]!.TotalCharges!.trim() === '');
    const picks = [0, 1, 2, holdout.rows.length - 1, ...(blankTotal >= 0 ? [blankTotal] : [])];
    for (const i of picks) {
      const { Churn, ...record } = raw[holdout.rows[i]!]!;
      const response = await post('/predict', record);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { model: string; model_version: number; probability: number; prediction: string; request_id: string };
      assert.equal(body.model, 'telco-churn');
      assert.equal(body.model_version, 1);
      assert.ok(body.request_id);
      assert.ok(Math.abs(body.probability - holdout.probabilities[i]!) <= 1e-6, `row ${holdout.rows[i]}: API ${body.probability} vs training ${holdout.probabilities[i]}`);
      assert.equal(body.prediction, body.probability >= 0.5 ? 'Yes' : 'No');
    }
  });

  it('is ready once a model is served, and exports Prometheus metrics by route, status and predicted class', async () => {
    assert.deepEqual(await (await fetch(`${api.url}/ready`)).json(), { status: 'ready', model: 'telco-churn', model_version: 1 });
    const text = await (await fetch(`${api.url}/metrics`)).text();
    assert.match(text, /kiln_http_requests_total\{method="POST",route="\/predict",status="200"\} [1-9]/);
    assert.match(text, /kiln_http_request_duration_seconds_bucket\{le="0.01",method="POST",route="\/predict",status="200"\}/);
    assert.match(text, /kiln_predictions_total\{model="telco-churn",version="1",class="(Yes|No)"\} [1-9]/);
    assert.match(text, /kiln_process_cpu_seconds_total/);
  });

  it('logs every answered prediction and takes feedback on it', async () => {
    const { Churn, ...record } = pl.readCSV((config.source as { path: string }).path, { inferSchemaLength: 0 }).head(1).toRecords()[0] as Record<string, string>;
    const response = await fetch(`${api.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'e2e-feedback-1' }, body: JSON.stringify(record) });
    assert.equal(((await response.json()) as { request_id: string }).request_id, 'e2e-feedback-1');
    const log = createPredictionLog(resources.db);
    const deadline = Date.now() + 10_000;
    let logged = false;
    while (!logged && Date.now() < deadline) {
      logged = Boolean(await resources.db('predictions').where({ request_id: 'e2e-feedback-1' }).first());
      if (!logged) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const row = await resources.db('predictions').where({ request_id: 'e2e-feedback-1' }).first();
    assert.equal(row.model_name, 'telco-churn');
    assert.equal(JSON.parse(row.inputs_json).Contract, record.Contract);
    assert.ok((await log.countPredictions('telco-churn')) >= 5);
    assert.equal((await post('/feedback', { request_id: 'e2e-feedback-1', label: 'Yes' })).status, 201);
    assert.equal((await post('/feedback', { request_id: 'e2e-feedback-1', label: 'No' })).status, 409);
    assert.equal((await post('/feedback', { request_id: 'unknown', label: 'No' })).status, 404);
    // A label sent right after its answer, while the prediction still waits in the log's queue.
    await fetch(`${api.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'e2e-feedback-2' }, body: JSON.stringify(record) });
    assert.equal((await post('/feedback', { request_id: 'e2e-feedback-2', label: 'No' })).status, 201);
    const bad = await post('/feedback', { label: 'No' });
    assert.equal(bad.status, 422);
    assert.deepEqual(((await bad.json()) as { issues: unknown[] }).issues, [{ field: 'request_id', message: 'required' }]);
    assert.match(await (await fetch(`${api.url}/metrics`)).text(), /kiln_prediction_log_dropped 0/);
  });

  it('answers bad records with 422 naming the field', async () => {
    const { Churn, ...record } = pl.readCSV((config.source as { path: string }).path, { inferSchemaLength: 0 }).head(1).toRecords()[0] as Record<string, string>;
    const notNumber = await post('/predict', { ...record, tenure: 'twelve' });
    assert.equal(notNumber.status, 422);
    assert.deepEqual(((await notNumber.json()) as { issues: Array<{ field: string }> }).issues.map((issue) => issue.field), ['tenure']);
    const { Contract, ...missing } = record;
    const missingField = await post('/predict', missing);
    assert.equal(missingField.status, 422);
    assert.deepEqual(((await missingField.json()) as { issues: unknown[] }).issues, [{ field: 'Contract', message: 'required' }]);
    assert.equal((await fetch(`${api.url}/predict`, { method: 'POST', body: 'not json' })).status, 400);
    assert.equal((await fetch(`${api.url}/models/no-such-model`)).status, 404);
  });

  it('scores batches in order, with an error entry per bad record', async () => {
    const raw = pl.readCSV((config.source as { path: string }).path, { inferSchemaLength: 0 }).head(3).toRecords() as Array<Record<string, string>>;
    const [first, second, third] = raw.map(({ Churn, ...record }) => record);
    const response = await post('/predict/batch', [first, { ...second, tenure: 'n/a' }, third]);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { model_version: number; results: Array<{ index: number; probability?: number; issues?: Array<{ field: string }> }> };
    assert.deepEqual(body.results.map((r) => r.index), [0, 1, 2]);
    assert.deepEqual(body.results[1]!.issues!.map((issue) => issue.field), ['tenure']);
    for (const [i, record] of [[0, first], [2, third]] as const) {
      const single = (await (await post('/predict', record)).json()) as { probability: number };
      assert.equal(body.results[i]!.probability, single.probability);
    }
    assert.equal((await post('/models/telco-churn/predict/batch', [])).status, 422);
    assert.equal((await post('/predict/batch', { not: 'an array' })).status, 422);
  });

  it('documents the API, with the production model\'s input schema, and serves Swagger UI without a CDN', async () => {
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as any;
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/models/telco-churn/predict'].post);
    assert.ok(spec.paths['/predict'].post);
    const record = spec.components.schemas['telco-churn.record'];
    assert.ok(record.required.includes('tenure') && record.required.includes('Contract'));
    assert.ok(!record.required.includes('customerID') && !record.required.includes('Churn'));
    const page = await fetch(`${api.url}/docs`);
    assert.match(await page.text(), /swagger-ui-bundle\.js/);
    assert.equal((await fetch(`${api.url}/docs/swagger-ui-bundle.js`)).status, 200);
  });

  it('reuses the dataset version, promotes a better model after comparing on the same rows, and the API hot-reloads it', async () => {
    const first = await resources.registry.getModelVersion('telco-churn', 1);
    // Deeper, slower-learning trees: a different model, better on this holdout (0.8359 vs 0.8348).
    const better = { ...config, training: { rounds: 600, params: { ...config.training.params, max_depth: 4, eta: 0.01, min_child_weight: 20, subsample: 0.7 } } };
    const handle = await startTraining(env.client, { taskQueue }, better);
    const result = await handle.result();
    recordHistory(handle, 'training-pipeline-against-production');
    assert.equal(result.datasetId, first.datasetId);
    assert.equal(result.version, 2);
    assert.equal(result.production?.version, 1);
    assert.equal(result.production?.metrics.roc_auc, first.metrics.roc_auc);
    assert.ok(result.metrics.roc_auc > first.metrics.roc_auc!, result.decision.reason);
    assert.equal(result.promoted, true, result.decision.reason);
    const deadline = Date.now() + 10_000;
    let served = 0;
    while (served !== 2 && Date.now() < deadline) {
      served = ((await (await fetch(`${api.url}/models/telco-churn`)).json()) as { version: number }).version;
      if (served !== 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(served, 2);
    const stages = (await resources.registry.listModelVersions('telco-churn')).map((v) => [v.version, v.stage]);
    assert.deepEqual(stages.sort(), [[1, 'archived'], [2, 'production']]);
  });

  it('registers but does not promote a retrained twin of production', async () => {
    const twin = { ...config, training: { rounds: 600, params: { ...config.training.params, max_depth: 4, eta: 0.01, min_child_weight: 20, subsample: 0.7 } } };
    const handle = await startTraining(env.client, { taskQueue }, twin);
    const result = await handle.result();
    assert.equal(result.version, 3);
    assert.equal(result.promoted, false);
    assert.match(result.decision.reason, /roc_auc beats production by > 0 and ≥ 0 failed \(candidate 0\.\d+ vs production v\d 0\.\d+\)/);
    assert.equal((await handle.describe()).typedSearchAttributes.get(outcomeKey), 'kept-production');
    assert.equal((await resources.registry.getProductionVersion('telco-churn'))?.version, 2);
  });

  it('rolls back and promotes through the admin API, live at once, only with the admin token', async () => {
    const admin = (route: string, body: unknown, token?: string) =>
      fetch(`${api.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const served = async () => ((await (await fetch(`${api.url}/models/telco-churn`)).json()) as { version: number }).version;
    assert.equal((await admin('/models/telco-churn/rollback', { reason: 'x' })).status, 401);
    assert.equal((await admin('/models/telco-churn/rollback', { reason: 'x' }, 'wrong')).status, 401);
    const bad = await admin('/models/telco-churn/promote', { version: 'two' }, 'e2e-secret');
    assert.equal(bad.status, 422);
    assert.deepEqual(((await bad.json()) as { issues: Array<{ field: string }> }).issues.map((i) => i.field).sort(), ['reason', 'version']);
    assert.deepEqual(await (await admin('/models/telco-churn/rollback', { reason: 'canary alert', from_version: 2 }, 'e2e-secret')).json(), { rolledBack: true, production: 1 });
    assert.equal(await served(), 1);
    assert.deepEqual(await (await admin('/models/telco-churn/rollback', { reason: 'canary alert', from_version: 2 }, 'e2e-secret')).json(), { rolledBack: false, production: 1 });
    assert.deepEqual(await (await admin('/models/telco-churn/promote', { version: 2, reason: 'false alarm' }, 'e2e-secret')).json(), { promoted: true, previousProduction: 1 });
    assert.equal(await served(), 2);
    const audit = await resources.registry.listStageTransitions('telco-churn');
    assert.deepEqual(audit.slice(-2).map((t) => [t.version, t.toStage, t.actor]), [[1, 'archived', 'api:admin'], [2, 'production', 'api:admin']]);
  });

  it('switches versions under load with zero failed requests', async () => {
    const { Churn, ...record } = pl.readCSV((config.source as { path: string }).path, { inferSchemaLength: 0 }).head(1).toRecords()[0] as Record<string, string>;
    const admin = (route: string, body: unknown) =>
      fetch(`${api.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer e2e-secret' }, body: JSON.stringify(body) });
    const statuses: number[] = [];
    const versions = new Set<number>();
    let loading = true;
    const client = async () => {
      while (loading) {
        const response = await post('/predict', record);
        statuses.push(response.status);
        versions.add(((await response.json()) as { model_version: number }).model_version);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await admin('/models/telco-churn/rollback', { reason: 'load test', from_version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await admin('/models/telco-churn/promote', { version: 2, reason: 'load test over' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    loading = false;
    await Promise.all(clients);
    assert.ok(statuses.length > 50, `${statuses.length} requests`);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.deepEqual([...versions].sort(), [1, 2]);
  });

  const tunedConfig = (name: string, trials: number): PipelineConfig => ({
    ...config,
    name,
    tuning: {
      trials, parallelism: 2, patience: 0, folds: 2, maxRounds: 200, earlyStoppingRounds: 20, metric: 'roc_auc', sampler: 'tpe', seed: 7,
      pruner: { type: 'median', nStartupTrials: 2, nWarmupSteps: 10, every: 5 },
      space: { max_depth: { type: 'int', low: 2, high: 6 }, eta: { type: 'float', low: 0.02, high: 0.3, log: true }, min_child_weight: { type: 'int', low: 1, high: 20 } },
    },
  });

  it('tunes with a child tuningStudy (TPE, parallel CV trials) and refits the best params', async () => {
    const handle = await startTraining(env.client, { taskQueue }, tunedConfig('telco-tuned', 6));
    const result = await handle.result();
    recordHistory(handle, 'training-pipeline-tuned');
    recordHistory({ workflowId: `${handle.workflowId}-study`, firstExecutionRunId: (await env.client.workflow.getHandle(`${handle.workflowId}-study`).describe()).runId }, 'tuning-study');
    const tuning = result.tuning!;
    assert.equal(tuning.completed + tuning.pruned, 6);
    assert.ok(tuning.completed >= 2);
    assert.equal(tuning.failed, 0);
    assert.ok(tuning.bestValue > 0.8 && tuning.bestValue < 0.9, `best CV ROC-AUC ${tuning.bestValue}`);
    const depth = tuning.bestParams.max_depth as number;
    assert.ok(Number.isInteger(depth) && depth >= 2 && depth <= 6);
    assert.equal(tuning.bestParams.objective, 'binary:logistic');
    const registered = await resources.registry.getModelVersion('telco-tuned', result.version);
    assert.equal(registered.params.rounds, tuning.bestRounds);
    assert.equal(registered.params.max_depth, depth);
    assert.ok(result.metrics.roc_auc > 0.8);
    const { study } = await resources.registry.getLineage('telco-tuned', result.version);
    assert.deepEqual([study?.bestTrial?.number, study?.bestTrial?.value], [tuning.bestTrial, tuning.bestValue]);
  });

  it('stops a study on signal, keeping the best trial so far', async () => {
    const handle = await startTraining(env.client, { taskQueue }, tunedConfig('telco-stopped', 40));
    const study = env.client.workflow.getHandle(`${handle.workflowId}-study`);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const progress = await study.query(studyProgressQuery).catch(() => undefined);
      if (progress && progress.done >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await study.signal(stopStudySignal);
    const result = await handle.result();
    const finished = result.tuning!.completed + result.tuning!.pruned;
    assert.ok(result.tuning!.completed >= 2 && finished < 40, `${finished} trials`);
    assert.equal((await study.query(studyProgressQuery)).stopping, true);
  });

  it('cancels a run mid-training: training stops, nothing is registered or promoted', async () => {
    const long = { ...config, name: 'telco-cancelled', training: { ...config.training, rounds: 100_000 } };
    const handle = await startTraining(env.client, { taskQueue }, long);
    while ((await handle.query(progressQuery)).stage !== 'train') await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cancelledAt = Date.now();
    await handle.cancel();
    await assert.rejects(handle.result(), (error: unknown) => error instanceof WorkflowFailedError && isCancellation(error.cause));
    assert.ok(Date.now() - cancelledAt < 15_000, `cancellation took ${Date.now() - cancelledAt} ms`);
    assert.equal((await handle.describe()).typedSearchAttributes.get(outcomeKey), 'cancelled');
    await assert.rejects(resources.registry.listModelVersions('telco-cancelled'), NotFoundError);
    const run = await resources.registry.getRun(handle.workflowId, handle.firstExecutionRunId);
    assert.deepEqual([run.status, run.outcome, run.modelVersion], ['cancelled', 'cancelled', null]);
  });

  it('lists runs with `kiln runs`, filtered by model, with outcome, dataset and model version', async () => {
    const { stdout, status, stderr } = spawnSync(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), 'runs', '--model', 'telco-churn', '--json'], {
      env: { ...process.env, TEMPORAL_ADDRESS: env.address, DATABASE_URL: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, KILN_ARTIFACTS: path.join(tmp, 'artifacts') },
      encoding: 'utf8',
    });
    assert.equal(status, 0, stderr);
    const runs = JSON.parse(stdout) as Array<{ modelName: string; status: string; outcome: string; datasetId: string; modelVersion: number }>;
    assert.deepEqual(runs.map((run) => [run.modelName, run.status, run.outcome, run.modelVersion]), [
      ['telco-churn', 'completed', 'kept-production', 3],
      ['telco-churn', 'completed', 'promoted', 2],
      ['telco-churn', 'completed', 'promoted', 1],
    ]);
    assert.match(runs[0]!.datasetId, /^telco-churn@[0-9a-f]{12}$/);
  });

  it('fails a run with bad data for good, with the reason, and registers nothing', async () => {
    const bad = { ...config, name: 'telco-bad-target', target: { column: 'NoSuchColumn', positive: 'Yes' } };
    const handle = await startTraining(env.client, { taskQueue }, bad);
    await assert.rejects(handle.result(), (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError);
      assert.ok(error.cause instanceof ActivityFailure);
      assert.ok(error.cause.cause instanceof ApplicationFailure);
      assert.equal(error.cause.cause.type, 'InputError');
      assert.equal(error.cause.cause.nonRetryable, true);
      // The validation report travels with the failure, as a table in the message and as details.
      assert.match(error.cause.cause.message, /failed validation with 1 error\(s\)/);
      assert.match(error.cause.cause.message, /error\s+target\.present\s+NoSuchColumn\s+target column NoSuchColumn is not in the data/);
      assert.ok((error.cause.cause.details?.[0] as { reportKey: string }).reportKey.startsWith('sha256:'));
      return true;
    });
    assert.equal((await handle.describe()).typedSearchAttributes.get(outcomeKey), 'failed');
    const run = await resources.registry.getRun(handle.workflowId, handle.firstExecutionRunId);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /failed validation with 1 error\(s\)/);
    recordHistory(handle, 'training-pipeline-bad-target');
    await assert.rejects(resources.registry.listModelVersions('telco-bad-target'), NotFoundError);
  });
});
