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
import { binaryMetrics } from '../../models/metrics';
import type { HoldoutPredictions } from '../../activities/evaluation';

// trainModel and evaluateModel on the real Telco data, real XGBoost and SQLite, outside a workflow.
describe('trainModel activity: decision threshold', function () {
  this.timeout(120_000);
  let tmp: string;
  let resources: KilnResources;
  let input: TrainModelInput;
  const environment = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-train-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    const activities = createActivities(resources);
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    const target = { column: config.target.column, positive: config.target.positive };
    const { datasetId } = await run(activities.ingest, { datasetName: config.name, source: config.source });
    const { splitKey } = await run(activities.splitDataset, { datasetId, target, ...config.split });
    input = {
      datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: 50,
      params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 3, eta: 0.1, seed: 1, nthread: 1 },
      rounds: 60,
    };
  });

  after(async () => {
    await resources.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps 0.5 unless the config asks for a rule', async () => {
    const trained = await run(createActivities(resources).trainModel, input);
    assert.deepEqual(trained.threshold, { threshold: 0.5, met: true, reason: 'fixed at 0.5' });
  });

  it('chooses a target-recall threshold on out-of-fold predictions, and it holds on the holdout', async () => {
    const activities = createActivities(resources);
    const trained = await run(activities.trainModel, { ...input, threshold: { rule: 'target_recall', value: 0.8 }, thresholdFolds: { folds: 3, seed: 7 } });
    assert.equal(trained.threshold.met, true);
    // Churners are a quarter of Telco: 80% recall needs a threshold well under 0.5.
    assert.ok(trained.threshold.threshold > 0.1 && trained.threshold.threshold < 0.4, `threshold ${trained.threshold.threshold}`);
    assert.match(trained.threshold.reason, /recall 0\.8\d+ ≥ 0\.8/);
    const evaluation = await run(activities.evaluateModel, { ...input, modelName: 'telco', modelKey: trained.modelKey, pipelineKey: trained.pipelineKey, threshold: trained.threshold.threshold });
    // Chosen without the holdout, the threshold still gives about the recall asked for there.
    assert.ok(evaluation.metrics.recall > 0.74, `holdout recall ${evaluation.metrics.recall}`);
    const { labels, probabilities } = resources.artifacts.getJson<HoldoutPredictions>(evaluation.predictionsKey);
    assert.deepEqual(evaluation.metrics, binaryMetrics(labels, probabilities, trained.threshold.threshold));
    assert.ok(evaluation.metrics.recall > binaryMetrics(labels, probabilities, 0.5).recall);
  });
});
