import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadPipelineConfig, parsePipelineConfig, type PipelineConfig } from '../../lib/pipeline-config';
import type { KilnResources } from '../../lib/resources';
import { createMonitoringSchedule, createRetrainingSchedule, listSchedules, modelScheduleIds } from '../../lib/schedules';
import { projectRoot } from '../../lib/settings';
import { startKilnTestStack, type KilnTestStack } from '../support/kiln-stack';
import { startTraining } from '../../lib/training-client';
import type { RetrainingResult, retraining } from '../../workflows/retraining';
import { retrainingScheduleId } from '../../workflows/run-identity';
import { progressQuery } from '../../workflows/training-pipeline';

// Scheduled retraining on a real dev server: Temporal Schedules start `retraining`, which trains
// through the pipeline unless the cooldown or a running training says no.
describe('scheduled retraining end to end', function () {
  this.timeout(300_000);
  let taskQueue: string;
  let stack: KilnTestStack;
  let env: TestWorkflowEnvironment;
  let client: Client;
  let tmp: string;
  let resources: KilnResources;
  let config: PipelineConfig;

  before(async () => {
    stack = await startKilnTestStack('retrain');
    ({ env, resources, tmp, taskQueue } = stack);
    client = env.client;
    config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
  });

  after(() => stack?.close());

  /** The result of the next `retraining` run started after `known` runs were seen. */
  const nextRetrainingResult = async (known: number): Promise<RetrainingResult> => {
    for (;;) {
      const runs = [];
      for await (const run of client.workflow.list({ query: `WorkflowType = 'retraining'` })) runs.push(run);
      if (runs.length > known) {
        const newest = runs.sort((a, b) => b.startTime.getTime() - a.startTime.getTime())[0]!;
        return client.workflow.getHandle(newest.workflowId, newest.runId).result();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('a schedule from the config retrains when triggered, and a second trigger inside the cooldown is skipped', async () => {
    const scheduleId = await createRetrainingSchedule(client, { taskQueue }, config, { every: '1d', cooldown: '1h' });
    assert.equal(scheduleId, retrainingScheduleId('telco-churn'));
    const [listed] = await listSchedules(client);
    assert.deepEqual([listed!.scheduleId, listed!.model, listed!.workflowType, listed!.spec, listed!.paused], [scheduleId, 'telco-churn', 'retraining', 'every 1d, cooldown 1h', false]);
    assert.ok(Date.parse(listed!.nextRuns[0]!) > Date.now(), 'the next run is in the future');

    await client.schedule.getHandle(scheduleId).trigger();
    const first = await nextRetrainingResult(0);
    assert.equal(first.outcome, 'trained');
    assert.equal(first.trigger, 'schedule');
    assert.equal(first.training?.version, 1);
    assert.equal(first.training?.promoted, true);

    await client.schedule.getHandle(scheduleId).trigger();
    const second = await nextRetrainingResult(1);
    assert.equal(second.outcome, 'cooldown');
    assert.match(second.reason, /within the 1h cooldown/);
    assert.equal((await resources.registry.listModelVersions('telco-churn')).length, 1, 'no version was trained inside the cooldown');
  });

  it('a trigger while the model is training is a no-op, and the training goes on', async () => {
    const slow = { ...config, training: { ...config.training, rounds: 20_000 } };
    const training = await startTraining(client, { taskQueue }, slow);
    while ((await training.query(progressQuery)).stage !== 'train') await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await client.workflow.execute<typeof retraining>('retraining', {
      taskQueue,
      workflowId: `retrain-now-${process.pid}`,
      args: [{ config, trigger: 'manual', cooldown: '1ms' }],
    });
    assert.equal(result.outcome, 'already-running');
    assert.match(result.reason, /train-telco-churn is already running/);
    assert.equal((await training.describe()).status.name, 'RUNNING');
    // Wait for the cancellation to land, so no training is still running when the next test blocks the
    // in-process worker's event loop with synchronous CLI calls.
    await training.cancel();
    await assert.rejects(training.result(), /cancel/i);
  });

  it("finds a model's schedules by id at once after they are created or deleted", async () => {
    const watched = parsePipelineConfig({ ...config, name: 'telco-watched', monitoring: { every: '1h', window: 400, psiThreshold: 0.25 } });
    const retrain = await createRetrainingSchedule(client, { taskQueue }, watched, { every: '1d', cooldown: '1h' });
    const monitor = await createMonitoringSchedule(client, { taskQueue }, watched);
    assert.deepEqual(await modelScheduleIds(client, 'telco-watched'), [retrain, monitor]);
    await client.schedule.getHandle(retrain).delete();
    assert.deepEqual(await modelScheduleIds(client, 'telco-watched'), [monitor]);
    await client.schedule.getHandle(monitor).delete();
    assert.deepEqual(await modelScheduleIds(client, 'telco-watched'), []);
  });

  it('kiln schedule pauses, lists, unpauses and deletes, and names an unknown schedule', () => {
    const environment = { ...process.env, TEMPORAL_ADDRESS: env.address, KILN_TASK_QUEUE: taskQueue, DATABASE_URL: `sqlite:${path.join(tmp, 'cli.sqlite')}` };
    const kiln = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), 'schedule', ...args], { env: environment, encoding: 'utf8' });
    const paused = kiln('pause', 'telco-churn', '--note', 'data freeze');
    assert.equal(paused.status, 0, paused.stderr);
    const table = kiln('list');
    assert.match(table.stdout, /kiln-retrain-telco-churn\s+telco-churn\s+retraining\s+every 1d, cooldown 1h\s+paused: data freeze/);
    assert.equal(kiln('unpause', 'telco-churn').status, 0);
    assert.equal((JSON.parse(kiln('list', '--json').stdout) as Array<{ paused: boolean }>)[0]!.paused, false);
    const exists = kiln('create', '--config', path.join(projectRoot, 'data/pipelines/telco-churn.yaml'), '--every', '6h');
    assert.equal(exists.status, 1);
    assert.match(exists.stderr, /schedule kiln-retrain-telco-churn already exists: pass --replace/);
    const replaced = kiln('create', '--config', path.join(projectRoot, 'data/pipelines/telco-churn.yaml'), '--every', '6h', '--replace');
    assert.equal(replaced.status, 0, replaced.stderr);
    assert.match(kiln('list').stdout, /every 6h, cooldown 1h/);
    assert.equal(kiln('delete', 'telco-churn').status, 0);
    assert.deepEqual(JSON.parse(kiln('list', '--json').stdout), []);
    const unknown = kiln('trigger', 'telco-churn');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /kiln: no schedule kiln-retrain-telco-churn \(see kiln schedule list\)/);
    const noTiming = kiln('create', '--config', path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    assert.match(noTiming.stderr, /schedule: give --cron or --every, or a schedule section/);
  });
});
