import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { RunTrialInput, RunTrialResult, TrialHeartbeat } from '../../activities/tuning';
import { createStudyStore } from '../../db';
import { createMedianPruner, createRandomSampler, createStudy, parseSearchSpace } from '../../models/tuning';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';

// The trial activity on the real Telco data, real XGBoost and SQLite, outside a workflow.
describe('runTrial activity', function () {
  this.timeout(120_000);
  let tmp: string;
  let resources: KilnResources;
  let input: RunTrialInput;
  const environment = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;
  /** A result without the time it was produced at and how its features were come by (fitted, then reused), for comparing runs. */
  const timeless = ({ finishedAt, features, ...rest }: RunTrialResult) => (assert.ok(finishedAt > 0 && features), rest);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-trial-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    const activities = createActivities(resources);
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    const target = { column: config.target.column, positive: config.target.positive };
    const { datasetId } = await run(activities.ingest, { datasetName: config.name, source: config.source });
    const { splitKey } = await run(activities.splitDataset, { datasetId, target, ...config.split });
    input = {
      datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: 50,
      params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 3, eta: 0.1, seed: 1, nthread: 1 },
      maxRounds: 300, earlyStoppingRounds: 20, folds: 3, seed: 42, metric: 'roc_auc',
    };
  });

  after(async () => {
    await resources.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('cross-validates on the training rows with early stopping, heartbeating each round, reproducibly', async () => {
    const activities = createActivities(resources);
    const heartbeats: unknown[] = [];
    environment.on('heartbeat', (details) => heartbeats.push(details));
    const result = await run(activities.runTrial, input);
    assert.equal(result.foldValues.length, 3);
    assert.equal(result.pruned, false);
    assert.ok(result.value > 0.8 && result.value < 0.9, `CV ROC-AUC ${result.value}`);
    assert.ok(Math.abs(result.value - result.foldValues.reduce((a, b) => a + b) / 3) < 1e-12);
    assert.ok(result.bestRounds.every((rounds) => rounds >= 1 && rounds < 300), `early stopping: ${result.bestRounds}`);
    assert.ok(heartbeats.length >= result.bestRounds.reduce((a, b) => a + b), `${heartbeats.length} heartbeats`);
    assert.deepEqual(timeless(await run(activities.runTrial, input)), timeless(result));
  });

  it('resumes from its last heartbeat after a failed attempt: finished folds are not trained again, the result is the same', async () => {
    const activities = createActivities(resources);
    const heartbeats: TrialHeartbeat[] = [];
    const first = new MockActivityEnvironment();
    first.on('heartbeat', (details: TrialHeartbeat) => heartbeats.push(details));
    const full = (await first.run(activities.runTrial, input)) as RunTrialResult;
    const lastBeforeDying = heartbeats.findLast((h) => h.done.foldValues.length === 2)!;

    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: lastBeforeDying });
    const retried: TrialHeartbeat[] = [];
    retry.on('heartbeat', (details: TrialHeartbeat) => retried.push(details));
    const resumed = (await retry.run(activities.runTrial, input)) as RunTrialResult;
    assert.equal(resumed.resumedFolds, 2);
    assert.deepEqual(timeless({ ...resumed, resumedFolds: 0 }), timeless(full));
    assert.deepEqual([...new Set(retried.map((h) => h.fold))], [2], 'only the third fold was trained again');
  });

  it('is pruned when its first fold falls below the median of earlier trials, read from the database, training no further fold', async () => {
    const study = createStudy({
      name: 'telco-churn/pruning', direction: 'maximize',
      space: parseSearchSpace({ max_depth: { type: 'int', low: 2, high: 6 } }),
      sampler: createRandomSampler({ seed: 1 }),
      pruner: createMedianPruner({ nStartupTrials: 1, nWarmupSteps: 0 }),
    });
    const strong = study.ask();
    for (let step = 5; step <= 300; step += 5) study.report(strong.number, step, 0.99);
    study.tell(strong.number, { value: 0.99 });
    const trial = study.ask();
    const { sampler, pruner, space, store } = study.toJSON();
    await createStudyStore(resources.db).saveStudy({
      header: { name: study.name, modelName: 'telco-churn', workflowId: 'test', direction: 'maximize', sampler, pruner, space, attrs: {}, state: 'running' },
      revision: 1,
      trials: store.trials,
    });
    const result = await run(createActivities(resources).runTrial, { ...input, pruning: { studyName: study.name, trialNumber: trial.number, every: 5 } });
    assert.equal(result.pruned, true);
    assert.deepEqual(result.foldValues, []);
    assert.deepEqual(result.intermediate.map(([step]) => step), [5]);
    assert.equal(result.value, result.intermediate[0]![1]);
  });

  it('trains on unjudged while the database does not hold the trial yet (the mirror is behind)', async () => {
    await createStudyStore(resources.db).saveStudy({
      header: { name: 'telco-churn/behind', modelName: 'telco-churn', workflowId: 'test', direction: 'maximize', sampler: { type: 'random', seed: 1 }, pruner: { type: 'median', nStartupTrials: 0 }, space: { max_depth: { type: 'int', low: 2, high: 6 } }, attrs: {}, state: 'running' },
      revision: 1,
      trials: [],
    });
    const result = await run(createActivities(resources).runTrial, { ...input, maxRounds: 20, pruning: { studyName: 'telco-churn/behind', trialNumber: 0, every: 5 } });
    assert.equal(result.pruned, false);
    assert.equal(result.foldValues.length, 3);
    assert.deepEqual(result.intermediate.map(([step]) => step), [5, 10, 15, 20]);
  });

  it('optimises log loss as a metric to minimise', async () => {
    const result = await run(createActivities(resources).runTrial, { ...input, metric: 'log_loss' });
    assert.ok(result.value > 0.3 && result.value < 0.5, `CV log loss ${result.value}`);
  });
});
