import assert from 'node:assert/strict';
import path from 'node:path';
import type { IngestResult } from '../../activities/data';
import type { FeaturesReport } from '../../activities/feature-sets';
import { loadPipelineConfig, type PipelineConfig } from '../../lib/pipeline-config';
import { projectRoot } from '../../lib/settings';
import { startTraining } from '../../lib/training-client';
import { progressQuery } from '../../workflows/training-pipeline';
import { startKilnTestStack, type KilnTestStack } from '../support/kiln-stack';

// The same tuned run twice on unchanged data, on a real dev server: buildFeatures fits every feature set
// once (the final training's and the study's folds); the second run reuses the dataset version and those
// sets but runs a new search.
describe('a rerun on unchanged data reuses the dataset version and the features', function () {
  this.timeout(300_000);
  let stack: KilnTestStack;
  let config: PipelineConfig;
  const reports: Record<'ingest' | 'trainModel' | 'runTrial', unknown[]> = { ingest: [], trainModel: [], runTrial: [] };

  before(async () => {
    // The real activities, their results kept as the workflow received them.
    stack = await startKilnTestStack('reuse', {
      overrides: (real) => ({
        ingest: async (input) => { const result = await real.ingest(input); reports.ingest.push(result); return result; },
        trainModel: async (input) => { const result = await real.trainModel(input); reports.trainModel.push(result.features); return result; },
        runTrial: async (input) => { const result = await real.runTrial(input); reports.runTrial.push(result.features); return result; },
      }),
    });
    const tuned = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn-tuned.yaml'));
    config = { ...tuned, name: 'telco-reuse', tuning: { ...tuned.tuning!, trials: 4, parallelism: 2, maxRounds: 60, earlyStoppingRounds: 10 } };
  });

  after(() => stack?.close());

  const train = async () => {
    for (const list of Object.values(reports)) list.length = 0;
    const handle = await startTraining(stack.env.client, { taskQueue: stack.taskQueue }, config);
    const result = await handle.result();
    return { result, progress: await handle.query(progressQuery) };
  };

  it('fits the features on the first run, reuses them on the second, and still runs the search again', async () => {
    const first = await train();
    assert.equal((reports.ingest[0] as IngestResult).created, true);
    // buildFeatures fits the final training's set and the study's three folds, once, before anything trains.
    assert.deepEqual([first.progress.features?.reused, first.progress.features?.fittedSets, first.progress.features?.reusedSets], [false, 4, 0]);
    const firstTrials = reports.runTrial as FeaturesReport[];
    assert.equal(firstTrials.length, 4);
    assert.ok(firstTrials.every((report) => report.reused && report.reusedSets === 3), JSON.stringify(firstTrials));
    assert.equal((reports.trainModel[0] as FeaturesReport).reused, true);

    const second = await train();
    const ingested = reports.ingest[0] as IngestResult;
    assert.deepEqual([ingested.datasetId, ingested.created], [first.result.datasetId, false]);
    assert.deepEqual([second.progress.features?.reused, second.progress.features?.fittedSets, second.progress.features?.reusedSets], [true, 0, 4]);
    assert.ok(Number.isInteger(second.progress.features?.ms));
    const secondTrials = reports.runTrial as FeaturesReport[];
    assert.equal(secondTrials.length, 4, 'the search ran again');
    assert.ok(secondTrials.every((report) => report.reused && report.fittedSets === 0), JSON.stringify(secondTrials));
    assert.equal(second.result.tuning?.completed, 4);
    assert.equal(second.result.version, first.result.version + 1);
  });
});
