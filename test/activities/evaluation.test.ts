import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { openResources, type KilnResources } from '../../lib/resources';
import { fitLogisticRegression, predictLogisticRegression } from '../../models/baselines/logistic-regression';
import { FeaturePipeline, type FeaturePipelineState } from '../../models/features/feature-pipeline';
import { rocAuc } from '../../models/metrics';
import { createRandom } from '../../models/random';
import { toRecords, fromParquet } from '../../models/data/tabular';
import type { TrainTestSplit } from '../../models/split';
import { csv } from '../data/fixture';

// evaluateModel's logistic-regression baseline on data made to tell in-sample target encodings from out-of-fold ones.
describe('evaluateModel activity: baselines', function () {
  this.timeout(120_000);
  let tmp: string;
  let resources: KilnResources;
  const environment = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-evaluate-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
  });

  after(async () => {
    await resources.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fits the logistic baseline on out-of-fold target encodings, so a noise column with few rows per level cannot fool it', async () => {
    // x carries the signal; group is noise with about three rows per level, target-encoded unsmoothed. Encoded
    // in-sample, each training row's group value holds its own label, and a baseline fitted on that leans on
    // noise that does not hold on the holdout.
    const random = createRandom(5);
    // A normal draw by Box–Muller.
    const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    const lines = ['id,group,x,y'];
    for (let i = 0; i < 3000; i++) {
      const y = random.next() < 0.4 ? 1 : 0;
      lines.push(`${i},g${random.int(1000)},${(normal() + 0.8 * y).toFixed(4)},${y ? 'yes' : 'no'}`);
    }
    const file = path.join(tmp, 'noise.csv');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const activities = createActivities(resources);
    const target = { column: 'y', positive: 'yes' };
    const { datasetId } = await run(activities.ingest, { datasetName: 'noise', source: csv(file) });
    const { splitKey } = await run(activities.splitDataset, { datasetId, target, testFraction: 0.3, seed: 1 });
    const source = { datasetId, splitKey, target, exclude: ['id'], maxCategories: 50, features: { steps: [{ type: 'target_encode' as const, column: 'group', smoothing: 0 }], imbalance: 'none' as const } };
    const trained = await run(activities.trainModel, { ...source, params: { objective: 'binary:logistic', max_depth: 2, eta: 0.3, seed: 1, nthread: 1 }, rounds: 10 });
    const evaluation = await run(activities.evaluateModel, { ...source, modelName: 'noise', modelKey: trained.modelKey, pipelineKey: trained.pipelineKey, threshold: 0.5 });

    // The same baseline fitted the other way, on the training rows transformed with the final (in-sample) encodings.
    const records = toRecords(fromParquet(resources.artifacts.get((await resources.registry.getDataset(datasetId)).snapshotKey)));
    const { train, test } = resources.artifacts.getJson<TrainTestSplit>(splitKey);
    const pipeline = new FeaturePipeline(resources.artifacts.getJson<FeaturePipelineState>(trained.pipelineKey));
    const label = (row: number) => (records[row]!.y === 'yes' ? 1 : 0);
    const inSample = fitLogisticRegression(pipeline.transform(train.map((row) => records[row]!)), train.length, pipeline.featureCount, train.map(label));
    const inSampleAuc = rocAuc(test.map(label), predictLogisticRegression(inSample, pipeline.transform(test.map((row) => records[row]!)), test.length, pipeline.featureCount));

    const auc = evaluation.baselines.logistic_regression.roc_auc;
    assert.ok(auc > 0.65, `baseline ROC-AUC ${auc.toFixed(3)}: x alone is worth about 0.7`);
    assert.ok(auc > inSampleAuc + 0.03, `out-of-fold ${auc.toFixed(3)} vs in-sample ${inSampleAuc.toFixed(3)}`);
  });
});
