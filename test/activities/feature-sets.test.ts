import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { TrainModelInput } from '../../activities/training';
import type { RunTrialInput } from '../../activities/tuning';
import { ArtifactStore } from '../../lib/artifact-store';
import { FeatureSetStore, type FeatureSet } from '../../lib/feature-set-store';
import { loadPipelineConfig, type PipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';

// Feature sets fitted once and reused, on the real Telco data, real XGBoost and SQLite, outside a workflow.
describe('feature sets: fitted once per data and config, reused after', function () {
  this.timeout(120_000);
  let tmp: string;
  let resources: KilnResources;
  let config: PipelineConfig;
  let input: TrainModelInput;
  const environment = new MockActivityEnvironment();
  const runIn = <A extends unknown[], R>(env: MockActivityEnvironment, activity: (...args: A) => Promise<R>, ...args: A) => env.run(activity, ...args) as Promise<R>;
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => runIn(environment, activity, ...args);
  const train = (changes: Partial<TrainModelInput> = {}, env = environment) => runIn(env, createActivities(resources).trainModel, { ...input, ...changes });
  /** The feature-set index's files: one per stored set, holding its manifest's artifact key. */
  const indexFiles = () => (fs.readdirSync(path.join(tmp, 'artifacts', 'feature-sets'), { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((entry) => entry.isFile());

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-feature-sets-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    const target = { column: config.target.column, positive: config.target.positive };
    const { datasetId } = await run(createActivities(resources).ingest, { datasetName: config.name, source: config.source });
    const { splitKey } = await run(createActivities(resources).splitDataset, { datasetId, target, ...config.split });
    input = {
      datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: config.features.maxCategories, features: config.features,
      params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 3, eta: 0.1, seed: 1, nthread: 1 },
      rounds: 20,
    };
  });

  after(async () => {
    await resources.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reuses the features of an identical rerun without loading the dataset, and trains the same model', async () => {
    // A config no other test uses, so this first run fits whatever ran before.
    const features = { ...config.features, maxCategories: 40 };
    const first = await train({ features });
    assert.deepEqual([first.features?.reused, first.features?.fittedSets, first.features?.reusedSets], [false, 1, 0]);
    const snapshotKey = (await resources.registry.getDataset(input.datasetId)).snapshotKey;
    const read: string[] = [];
    const get = resources.artifacts.get.bind(resources.artifacts);
    resources.artifacts.get = (key) => (read.push(key), get(key));
    try {
      const second = await train({ features });
      assert.deepEqual([second.features?.reused, second.features?.fittedSets, second.features?.reusedSets], [true, 0, 1]);
      assert.ok(Number.isInteger(second.features?.ms) && second.features!.ms >= 0);
      assert.equal(read.includes(snapshotKey), false, 'the snapshot was not read');
      const { features: _first, ...firstModel } = first;
      const { features: _second, ...secondModel } = second;
      assert.deepEqual(secondModel, firstModel);
    } finally {
      resources.artifacts.get = get;
    }
  });

  it('refits when the feature config, the target or the split changes', async () => {
    const baseline = await train();
    const fewerLevels = await train({ features: { ...config.features, maxCategories: 2 } });
    assert.equal(fewerLevels.features?.reused, false);
    assert.notEqual(fewerLevels.pipelineKey, baseline.pipelineKey);
    const withStep = await train({ features: { ...config.features, steps: [{ type: 'log1p', column: 'MonthlyCharges' }] } });
    assert.equal(withStep.features?.reused, false);
    const otherTarget = await train({ target: { column: 'Churn', positive: 'No' } });
    assert.equal(otherTarget.features?.reused, false);
    const { splitKey } = await run(createActivities(resources).splitDataset, { datasetId: input.datasetId, target: input.target, testFraction: 0.3, seed: 7 });
    const otherSplit = await train({ splitKey });
    assert.equal(otherSplit.features?.reused, false);
    // Each change has its own entry: going back to the first config reuses it.
    assert.equal((await train()).features?.reused, true);
    assert.equal((await train({ features: { ...config.features, maxCategories: 2 } })).features?.reused, true);
  });

  it('refits when the data changes', async () => {
    const csv = fs.readFileSync((config.source as { path: string }).path, 'utf8').split('\n');
    // One customer's monthly charge, changed: another dataset version, so other features.
    csv[1] = csv[1]!.replace(/,29\.85,/, ',31.85,');
    assert.notEqual(csv.join('\n'), fs.readFileSync((config.source as { path: string }).path, 'utf8'));
    const changedFile = path.join(tmp, 'telco-changed.csv');
    fs.writeFileSync(changedFile, csv.join('\n'));
    const { datasetId, created } = await run(createActivities(resources).ingest, { datasetName: config.name, source: { ...config.source!, path: changedFile } as typeof config.source });
    assert.equal(created, true);
    const { splitKey } = await run(createActivities(resources).splitDataset, { datasetId, target: input.target, ...config.split });
    const changed = await train({ datasetId, splitKey });
    assert.equal(changed.features?.reused, false);
    assert.equal((await train({ datasetId, splitKey })).features?.reused, true);
  });

  it('detects a damaged stored set, refits it instead of serving it, and heals the store', async () => {
    // A config of this test's alone: the one index entry it adds is the set to damage.
    const features = { ...config.features, maxCategories: 30 };
    const before = new Set(indexFiles().map((entry) => entry.name));
    const reference = await train({ features });
    const [entry, ...more] = indexFiles().filter(({ name }) => !before.has(name));
    assert.equal(more.length, 0);
    const manifest = resources.artifacts.getJson<{ train: { data: string } }>(fs.readFileSync(path.join(entry!.parentPath, entry!.name), 'utf8'));
    // Damage the stored training matrix in place: it keeps its name (its old hash), not its content.
    const matrixFile = resources.artifacts.pathOf(manifest.train.data);
    const bytes = fs.readFileSync(matrixFile);
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(matrixFile, bytes);

    const warnings: LogEntry[] = [];
    const watched = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN', (entry) => warnings.push(entry)) });
    const refitted = await train({ features }, watched);
    assert.equal(refitted.features?.reused, false);
    assert.match(refitted.features?.discarded?.[0] ?? '', /corrupted/);
    assert.deepEqual(warnings.map(({ message, meta }) => [message, meta?.reason]), [['stored feature set is damaged: refitting it', refitted.features?.discarded?.[0]]]);
    assert.equal(refitted.modelKey, reference.modelKey, 'trained on the refitted features, not the damaged ones');
    // The damaged file was replaced by the refit: the next run reuses again.
    assert.doesNotThrow(() => resources.artifacts.get(manifest.train.data));
    assert.equal((await train({ features })).features?.reused, true);
  });

  it('shares fold sets between the trials of a study and the threshold folds of the final training', async () => {
    // Fold seed 11 is this test's alone, so the first trial fits its folds whatever ran before.
    const trial: RunTrialInput = { ...input, maxRounds: 30, earlyStoppingRounds: 5, folds: 3, seed: 11, metric: 'roc_auc' };
    const first = await run(createActivities(resources).runTrial, trial);
    assert.deepEqual([first.features?.reused, first.features?.fittedSets], [false, 3]);
    const second = await run(createActivities(resources).runTrial, { ...trial, params: { ...trial.params, max_depth: 5 } });
    assert.deepEqual([second.features?.reused, second.features?.reusedSets], [true, 3]);
    const thresholded = await train({ threshold: { rule: 'max_f1' }, thresholdFolds: { folds: 3, seed: 11 } });
    assert.deepEqual([thresholded.features?.reused, thresholded.features?.reusedSets], [true, 4]);
  });
});

describe('FeatureSetStore', () => {
  let tmp: string;
  let artifacts: ArtifactStore;
  const key = 'ab'.repeat(32);
  const set: FeatureSet = {
    state: { format: 'kiln.feature-pipeline', version: 2, inputs: [{ name: 'x', kind: 'numeric' }], steps: [], encoders: [{ type: 'number', column: 'x' }], featureNames: ['x'], target: { column: 'y', positive: '1', negative: '0' } },
    train: { data: Float32Array.of(1, 2, 3), rows: 3, cols: 1, labels: Float32Array.of(0, 1, 0) },
    boosterParams: { scale_pos_weight: 2 },
    valid: { rowIds: [3, 4], data: Float32Array.of(4, 5), labels: Float32Array.of(1, 0) },
  };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-feature-set-store-'));
    artifacts = new ArtifactStore(tmp);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('returns what it saved, byte for byte, with the state\'s artifact key', () => {
    const store = new FeatureSetStore(artifacts);
    assert.deepEqual(store.find(key), { status: 'miss' });
    const stateKey = store.save(key, set);
    assert.deepEqual(store.find(key), { status: 'hit', set, stateKey });
    assert.deepEqual(artifacts.getJson(stateKey), set.state);
  });

  it('never takes a crashed write for an entry: the index is written last, by rename', () => {
    const store = new FeatureSetStore(artifacts);
    store.save(key, set);
    const index = path.join(tmp, 'feature-sets', key.slice(0, 2), key);
    // A crash before the rename leaves the parts and a temp file, but no index.
    fs.renameSync(index, `${index}.999.crashed.tmp`);
    assert.deepEqual(store.find(key), { status: 'miss' });
  });

  it('reports a garbled index, a missing part or a manifest of another key as damaged', () => {
    const store = new FeatureSetStore(artifacts);
    store.save(key, set);
    const index = path.join(tmp, 'feature-sets', key.slice(0, 2), key);
    const manifestKey = fs.readFileSync(index, 'utf8');
    fs.writeFileSync(index, 'sha256:nonsense');
    assert.match((store.find(key) as { reason: string }).reason, /not an artifact key/);

    fs.writeFileSync(index, manifestKey);
    const other = 'cd'.repeat(32);
    fs.mkdirSync(path.join(tmp, 'feature-sets', 'cd'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'feature-sets', 'cd', other), manifestKey);
    assert.match((store.find(other) as { reason: string }).reason, /is not the feature set/);

    const { valid } = artifacts.getJson<{ valid: { data: string } }>(manifestKey);
    fs.rmSync(artifacts.pathOf(valid.data));
    assert.match((store.find(key) as { reason: string }).reason, /is missing/);
    store.save(key, set);
    assert.equal(store.find(key).status, 'hit');
  });
});
