import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { TrainModelInput } from '../../activities/training';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import type { FeaturePipelineState } from '../../models/features/feature-pipeline';
import { Booster } from '../../models/xgboost';

// trainModel and runTrial on the Kickstarter sample with its config's features, outside a workflow.
describe('training activities with feature steps', function () {
  this.timeout(120_000);
  let tmp: string;
  let resources: KilnResources;
  let input: TrainModelInput;
  let trainRows: number;
  const environment = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;
  /** The scale_pos_weight a stored model was trained with. */
  const scalePosWeight = (modelKey: string) => {
    using booster = Booster.fromBuffer(resources.artifacts.get(modelKey));
    return Number(JSON.parse(booster.saveConfig()).learner.objective.reg_loss_param.scale_pos_weight);
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-features-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    const activities = createActivities(resources);
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/kickstarter.yaml'));
    const target = { column: config.target.column, positive: config.target.positive, keep: config.target.keep };
    const { datasetId } = await run(activities.ingest, { datasetName: config.name, source: config.source });
    const split = await run(activities.splitDataset, { datasetId, target, ...config.split });
    trainRows = split.trainRows;
    // Only successful and failed projects: 3,564 + 5,204 of the 9,999 rows.
    assert.equal(split.trainRows + split.testRows, 8768);
    input = {
      datasetId, splitKey: split.splitKey, target, exclude: config.features.exclude, maxCategories: config.features.maxCategories, features: config.features,
      params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 3, eta: 0.1, seed: 1, nthread: 1 },
      rounds: 30,
    };
  });

  after(async () => {
    await resources.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fits the config\'s steps on the training rows and passes scale_pos_weight to the booster', async () => {
    const trained = await run(createActivities(resources).trainModel, input);
    const state = resources.artifacts.getJson<FeaturePipelineState>(trained.pipelineKey);
    assert.equal(state.fit?.rows, trainRows);
    assert.deepEqual(state.target, { column: 'state', positive: 'successful', negative: 'failed' });
    assert.ok(state.fit?.balance.method === 'scale_pos_weight');
    assert.ok(Math.abs(state.fit.balance.scalePosWeight - 5204 / 3564) < 0.01, `${state.fit.balance.scalePosWeight}`);
    assert.ok(Math.abs(scalePosWeight(trained.modelKey) - state.fit.balance.scalePosWeight) < 1e-5);
    assert.deepEqual(state.inputs.map(({ name, kind }) => `${name}:${kind}`), [
      'name:text', 'category:categorical', 'main_category:categorical', 'currency:categorical', 'deadline:date', 'launched:date', 'country:categorical', 'usd_goal_real:numeric',
    ]);
  });

  it('never overrides an explicitly configured scale_pos_weight', async () => {
    const trained = await run(createActivities(resources).trainModel, { ...input, params: { ...input.params, scale_pos_weight: 3 } });
    assert.equal(scalePosWeight(trained.modelKey), 3);
  });

  it('runs a tuning trial with the steps fitted inside each fold', async () => {
    const result = await run(createActivities(resources).runTrial, {
      ...input, maxRounds: 40, earlyStoppingRounds: 10, folds: 3, seed: 42, metric: 'roc_auc',
    });
    assert.equal(result.foldValues.length, 3);
    assert.ok(result.value > 0.65 && result.value < 0.85, `CV ROC-AUC ${result.value}`);
  });
});
