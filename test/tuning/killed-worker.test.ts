import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createTuningActivities, type TrialHeartbeat } from '../../activities/tuning';
import { createStudyStore } from '../../db';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { findTemporalCli } from '../../lib/temporal-server';
import { tuningStudy, type TuningStudyInput } from '../../workflows/tuning-study';

// A worker process killed (SIGKILL) in the middle of a real trial on a real dev server: the trial is
// noticed dead by its heartbeat timeout, retried on another worker from its last heartbeat (the finished
// folds are not trained again), and the study finishes with every trial counted once.
describe('a tuning trial whose worker is killed', function () {
  this.timeout(240_000);
  const taskQueue = `killed-${process.pid}`;
  let env: TestWorkflowEnvironment;
  let tmp: string;
  let databaseUrl: string;
  let artifactsDir: string;
  let resources: KilnResources;
  let child: ChildProcess | undefined;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-killed-'));
    databaseUrl = `sqlite:${path.join(tmp, 'kiln.sqlite')}`;
    artifactsDir = path.join(tmp, 'artifacts');
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
    resources = await openResources({ databaseUrl, artifactsDir });
  });

  after(async () => {
    child?.kill('SIGKILL');
    await resources?.close();
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const startWorkerProcess = async (): Promise<ChildProcess> => {
    const fixture = path.join(__dirname, 'fixtures', 'trial-worker.ts');
    const process_ = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), fixture, env.address, taskQueue, databaseUrl, artifactsDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    process_.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      process_.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      process_.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
    });
    return process_;
  };

  it('is retried on another worker from its last heartbeat, and the study completes', async () => {
    const activities = createActivities(resources);
    const environment = new MockActivityEnvironment();
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    const target = { column: config.target.column, positive: config.target.positive };
    const { datasetId } = (await environment.run(activities.ingest, { datasetName: config.name, source: config.source })) as { datasetId: string };
    const { splitKey } = (await environment.run(activities.splitDataset, { datasetId, target, ...config.split })) as { splitKey: string };

    child = await startWorkerProcess();
    const input: TuningStudyInput = {
      studyName: 'telco-churn/killed', modelName: 'telco-churn',
      space: { max_depth: { type: 'int', low: 3, high: 4 } }, direction: 'maximize',
      sampler: { type: 'random', seed: 1 }, pruner: { spec: { type: 'none' }, every: 10 },
      trials: 1, parallelism: 1, patience: 0, trialHeartbeatTimeout: '5s',
      // A slow learning rate and no early stop worth the name: each fold takes a few seconds.
      baseParams: { objective: 'binary:logistic', tree_method: 'hist', eta: 0.01, nthread: 1, seed: 1 },
      trial: { datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: 50, maxRounds: 600, earlyStoppingRounds: 600, folds: 3, seed: 42, metric: 'roc_auc' },
    };
    const handle = await env.client.workflow.start(tuningStudy, { taskQueue, workflowId: 'killed-worker-study', args: [input] });

    // Wait until the first trial has finished a fold, as its heartbeats tell the server.
    let heartbeat: TrialHeartbeat | undefined;
    while (!heartbeat || heartbeat.done.foldValues.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const described = await handle.describe();
      assert.equal(described.status.name, 'RUNNING', 'the trial ended before a finished fold was seen: make its folds longer');
      const payload = described.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0]?.data;
      if (payload) heartbeat = JSON.parse(Buffer.from(payload).toString()) as TrialHeartbeat;
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = undefined;

    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows/tuning-study'), activities: createTuningActivities(resources) });
    const result = await worker.runUntil(handle.result());
    assert.deepEqual([result.completed, result.failed], [1, 0]);
    const { trials } = await createStudyStore(resources.db).getStudy(input.studyName);
    assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'COMPLETE']]);
    assert.ok(Number(trials[0]!.systemAttrs.resumed_folds) >= 1, `trial 0 resumed after ${trials[0]!.systemAttrs.resumed_folds} folds`);
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    assert.equal(pending.length, 0);
  });
});
