import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { ModelCache } from '../../api/model-cache';
import { PredictionLogWriter } from '../../api/prediction-log-writer';
import { createPredictionLog } from '../../db';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';

// The registry's routes on a real model: lineage, the model card, and serving that refuses damaged artifacts.
describe('model routes: lineage, model card, verified artifacts', function () {
  this.timeout(180_000);
  const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
  const target = { column: config.target.column, positive: config.target.positive };
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
  let tmp: string;
  let resources: KilnResources;
  let models: ModelCache;
  let app: ReturnType<typeof createApp>;

  /** One pipeline run without Temporal: the activities in a mock context named as run `runId` of `train-telco-churn`. */
  async function trainVersion(runId: string, rounds: number, { card = true } = {}): Promise<number> {
    const activities = createActivities(resources);
    const environment = new MockActivityEnvironment({ workflowExecution: { workflowId: 'train-telco-churn', runId } });
    const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;
    const started = await run(activities.recordRunStarted, { config });
    const { datasetId } = await run(activities.ingest, { datasetName: config.name, source: config.source });
    const validation = await run(activities.validateDataset, { datasetId, target, exclude: config.features.exclude, rules: config.validation });
    const { splitKey } = await run(activities.splitDataset, { datasetId, target, ...config.split });
    const featureSource = { datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: config.features.maxCategories };
    const trained = await run(activities.trainModel, { ...featureSource, params: config.training.params, rounds });
    const evaluation = await run(activities.evaluateModel, { ...featureSource, modelName: config.name, modelKey: trained.modelKey, pipelineKey: trained.pipelineKey, threshold: trained.threshold.threshold });
    const { version } = await run(activities.registerModelVersion, {
      modelName: config.name,
      datasetId,
      params: { ...config.training.params, rounds },
      metrics: { ...evaluation.metrics, threshold: trained.threshold.threshold },
      modelKey: trained.modelKey,
      pipelineKey: trained.pipelineKey,
    });
    if (card) await run(activities.writeModelCard, { modelName: config.name, version, description: config.description, target, splitKey, validationReportKey: validation.reportKey, evaluation });
    await run(activities.recordRunFinished, { startedRunId: started.runId, outcome: 'kept-production', datasetId, modelVersion: version });
    return version;
  }

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-model-routes-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    await trainVersion('run-1', 40);
    await resources.registry.promote({ modelName: config.name, version: 1, reason: 'first', actor: 'test' });
    models = new ModelCache({ registry: resources.registry, artifacts: resources.artifacts, logger });
    const store = createPredictionLog(resources.db);
    app = createApp({ registry: resources.registry, artifacts: resources.artifacts, models, logger, predictionLog: { writer: new PredictionLogWriter({ log: store, logger }), store } });
  });

  after(async () => {
    models?.stop();
    await resources?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const getJson = async (route: string) => {
    const response = await app.request(route);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as any;
  };

  it("fits Hono's RegExpRouter: a route set it cannot compile would leave every request to the slower trie", async () => {
    await app.request('/health');
    assert.equal(app.router.name, 'SmartRouter + RegExpRouter');
  });

  it('serves the Markdown model card of a version', async () => {
    const response = await app.request('/models/telco-churn/versions/1/card');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/markdown; charset=utf-8');
    const card = await response.text();
    const registered = await resources.registry.getModelVersion('telco-churn', 1);
    assert.equal(card, resources.artifacts.get(registered.cardKey!).toString('utf8'));
    assert.match(card, /^# telco-churn, version 1\n/);
    assert.match(card, /Probability that a Telco customer churns/);
    assert.match(card, /7043 rows, 5634 for training and 1409 held out/);
    assert.match(card, /Class balance: 1869 `Yes` \(26\.5%\)/);
    assert.match(card, /\| customerID \| string \| not used \|/);
    assert.match(card, /\| roc_auc \| 0\.8\d{3} \| 0\.\d{4}–0\.\d{4} \| /);
    assert.match(card, /logistic regression/);
    // Contract and tenure lead churn models on this data; one-hot levels are summed into their column.
    const top = [...card.matchAll(/^\| (\d+) \| (\S+) \| (\d\.\d{4}) \|$/gm)].map((m) => m[2]);
    assert.ok(top.slice(0, 3).some((column) => column === 'Contract' || column === 'tenure'), top.join(', '));
    assert.ok(top.every((column) => !column!.includes('=')), 'columns, not one-hot features');
    assert.match(card, /Validation warning: .*repeat/i);
    assert.match(card, new RegExp(`code version: \`${registered.codeVersion!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``));
    assert.match(card, /workflow: `train-telco-churn`, run `run-1`/);
  });

  it('answers 404 for an unknown model, version or card, and for a version that is not a number', async () => {
    for (const route of ['/models/telco-churn/versions/9/card', '/models/nope/versions/1/card', '/models/telco-churn/versions/one/card']) {
      assert.equal((await app.request(route)).status, 404, route);
    }
  });

  it('gives the lineage of the production version and of any version, with the Web UI link', async () => {
    const served = await getJson('/models/telco-churn');
    assert.equal(served.version, 1);
    const lineage = await getJson('/models/telco-churn/versions/1');
    assert.deepEqual(served.lineage, lineage);
    assert.equal(lineage.run.run_id, 'run-1');
    assert.equal(lineage.run.status, 'completed');
    assert.match(lineage.run.temporal_ui, /\/namespaces\/default\/workflows\/train-telco-churn\/run-1\/history$/);
    assert.match(lineage.dataset.id, /^telco-churn@[0-9a-f]{12}$/);
    assert.equal(lineage.dataset.rows, 7043);
    assert.equal(lineage.card, '/models/telco-churn/versions/1/card');
    assert.ok(lineage.code_version);
    assert.equal(lineage.params.rounds, 40);
    assert.match(lineage.artifacts.model.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(lineage.history.map((t: { to: string }) => t.to), ['candidate', 'production']);
  });

  it('documents the card route in OpenAPI', async () => {
    const spec = await getJson('/openapi.json');
    assert.ok(spec.paths['/models/{name}/versions/{version}/card'].get.responses[200].content['text/markdown']);
  });

  it('keeps serving the loaded version when a newly promoted one has a corrupted file, says why once, and loads it once repaired', async () => {
    const version = await trainVersion('run-2', 80, { card: false });
    assert.equal((await app.request(`/models/telco-churn/versions/${version}/card`)).status, 404, 'no card was written for it');
    const { modelKey } = await resources.registry.getModelVersion('telco-churn', version);
    const file = resources.artifacts.pathOf(modelKey);
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([good.subarray(0, 100), Buffer.from('garbage')]));
    await resources.registry.promote({ modelName: 'telco-churn', version, reason: 'test', actor: 'test' });
    logLines.length = 0;
    await models.refresh();
    await models.refresh();
    assert.equal((await getJson('/models/telco-churn')).version, 1);
    const failures = logLines.filter((line) => line.includes('model reload failed'));
    assert.equal(failures.length, 1, 'a repeated failure is logged once');
    assert.match(failures[0]!, new RegExp(`still serving version 1: version ${version} of model \\\\"telco-churn\\\\" cannot be loaded: artifact ${modelKey} is corrupted`));

    fs.writeFileSync(file, good);
    await models.refresh();
    assert.equal((await getJson('/models/telco-churn')).version, version);
  });

  it('refuses a file that differs from the registry record, and a missing file; /ready says why', async () => {
    const production = (await resources.registry.getProductionVersion('telco-churn'))!;
    // The store's file matches its key, but the record says another content: an artifact swapped under the row.
    await resources.db('model_versions').where({ id: production.id }).update({ model_size: production.modelChecksum!.size + 1 });
    const fresh = new ModelCache({ registry: resources.registry, artifacts: resources.artifacts, logger });
    await assert.rejects(fresh.get('telco-churn'), /does not match its registry record/);
    await resources.db('model_versions').where({ id: production.id }).update({ model_size: production.modelChecksum!.size });

    const file = resources.artifacts.pathOf(production.pipelineKey);
    const pipeline = fs.readFileSync(file);
    fs.rmSync(file);
    try {
      const store = createPredictionLog(resources.db);
      const freshApp = createApp({ registry: resources.registry, artifacts: resources.artifacts, models: fresh, logger, predictionLog: { writer: new PredictionLogWriter({ log: store, logger }), store } });
      const ready = await freshApp.request('/ready');
      assert.equal(ready.status, 503);
      assert.match(((await ready.json()) as { reason: string }).reason, new RegExp(`cannot be loaded: artifact ${production.pipelineKey} is missing`));
    } finally {
      fs.writeFileSync(file, pipeline);
      fresh.stop();
    }
  });
});
