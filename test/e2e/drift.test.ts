import assert from 'node:assert/strict';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDriftReports, createPredictionLog } from '../../db';
import { loadScoringModel } from '../../lib/artifact-checksum';
import { loadPipelineConfig, parsePipelineConfig, type PipelineConfig } from '../../lib/pipeline-config';
import type { KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { startKilnTestStack, type KilnTestStack } from '../support/kiln-stack';
import { startTraining } from '../../lib/training-client';
import { readCsvTable, toRecords } from '../../models/data/tabular';
import type { RawRecord } from '../../models/features/raw-values';
import type { driftCheck } from '../../workflows/drift-check';
import type { retraining } from '../../workflows/retraining';

// Drift monitoring on a real dev server: logged predictions like the training data change nothing;
// a shifted population crosses the threshold, is recorded, and retrains the model.
describe('drift-triggered retraining end to end', function () {
  this.timeout(300_000);
  let taskQueue: string;
  let stack: KilnTestStack;
  let env: TestWorkflowEnvironment;
  let resources: KilnResources;
  let config: PipelineConfig;
  let records: RawRecord[];
  let checks = 0;

  before(async () => {
    stack = await startKilnTestStack('drift');
    ({ env, resources, taskQueue } = stack);
    const shipped = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    // A cooldown of a millisecond: this test is about the drift trigger, the cooldown has its own.
    config = parsePipelineConfig({ ...shipped, schedule: { every: '1d', cooldown: '1ms' }, monitoring: { every: '1h', window: 400, psiThreshold: 0.25 } });
    records = toRecords(readCsvTable((shipped.source as { path: string }).path).frame);
    await (await startTraining(env.client, { taskQueue }, config)).result();
  });

  after(() => stack?.close());

  /** Logs `rows` as the API would have served them by production, then runs one drift check. */
  const serveAndCheck = async (rows: RawRecord[]) => {
    const production = (await resources.registry.getProductionVersion(config.name))!;
    using scoring = loadScoringModel(resources.artifacts, production);
    const probabilities = scoring.predict(rows);
    const batch = checks++;
    await createPredictionLog(resources.db).insertPredictions(rows.map((inputs, item) => ({
      requestId: `check-${batch}`, item, modelName: config.name, modelVersion: production.version, inputs,
      probability: probabilities[item]!, prediction: '', latencyMs: 1, createdAt: new Date(Date.now() + batch).toISOString(),
    })));
    return env.client.workflow.execute<typeof driftCheck>('driftCheck', { taskQueue, workflowId: `drift-check-${batch}`, args: [{ config, minRows: 100 }] });
  };

  it('decides nothing on too few predictions, and nothing on predictions like the training data', async () => {
    const few = await serveAndCheck(records.slice(0, 50));
    assert.equal(few.check.status, 'too-few-rows');
    assert.equal(few.retraining, 'not-needed');

    const alike = await serveAndCheck(records.filter((_, row) => row % 17 === 0).slice(0, 400));
    assert.equal(alike.check.status, 'checked');
    assert.equal(alike.check.rows, 400);
    assert.ok(alike.check.maxPsi! < 0.25, `PSI ${alike.check.maxPsi} on ${alike.check.worstColumn}`);
    assert.equal(alike.retraining, 'not-needed');
  });

  it('retrains when a shifted population crosses the threshold, and keeps the report', async () => {
    // New customers only, all on monthly contracts: tenure and contract mix far from the training data.
    const shifted = records.slice(0, 400).map((record) => ({ ...record, tenure: 1, Contract: 'Month-to-month' }));
    const result = await serveAndCheck(shifted);
    assert.equal(result.check.retrain, true);
    assert.ok(result.check.maxPsi! >= 0.25);
    assert.ok(['tenure', 'Contract', '(score)'].includes(result.check.worstColumn!), `worst ${result.check.worstColumn}`);
    assert.equal(result.retraining, 'started');

    const retrained = await env.client.workflow.getHandle<typeof retraining>(result.retrainingWorkflowId!).result();
    assert.equal(retrained.outcome, 'trained');
    assert.equal(retrained.trigger, 'drift');
    assert.match(retrained.reason, /^drift: v1, 400 predictions: largest PSI \d+\.\d{3} on /);
    assert.equal(retrained.training?.version, 2);

    const [latest] = await createDriftReports(resources.db).list(config.name);
    assert.equal(latest!.id, result.check.reportId);
    assert.deepEqual([latest!.modelVersion, latest!.rows, latest!.retrain, latest!.level], [1, 400, true, 'major']);
    const report = await createDriftReports(resources.db).report(latest!.id);
    assert.ok(report.columns.find((column) => column.column === 'tenure')!.psi >= 0.25);
  });
});
