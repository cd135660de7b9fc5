import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RunTrialInput, RunTrialResult } from '../../activities/tuning';
import { createTuningActivities } from '../../activities/tuning';
import { createStudyStore, type StudyStore } from '../../db';
import { openResources, type KilnResources } from '../../lib/resources';
import { findTemporalCli } from '../../lib/temporal-server';
import { stopStudySignal, studyProgressQuery, tuningStudy, type TuningStudyInput } from '../../workflows/tuning-study';

/**
 * What the stub trial reads from its params besides x and y: how long it takes, and on which attempts it
 * fails (a worker lost mid-trial looks the same to the workflow: an attempt that did not succeed).
 */
interface StubKnobs {
  delay_ms?: number;
  fail_attempts?: number;
}

/** A smooth objective with its maximum 0 at x = 0.3, y = 0.7. */
const objective = (x: number, y: number) => -((x - 0.3) ** 2) - (y - 0.7) ** 2;

async function stubTrial(input: RunTrialInput): Promise<RunTrialResult> {
  const { x, y, delay_ms: delay = 0, fail_attempts: failAttempts = 0 } = input.params as unknown as StubKnobs & { x: number; y: number };
  if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
  if (Context.current().info.attempt <= failAttempts) throw new Error(`attempt ${Context.current().info.attempt} lost its worker`);
  const value = objective(x, y);
  return { value, pruned: false, intermediate: [], foldValues: [value], bestRounds: [7], resumedFolds: 0, finishedAt: Date.now() };
}

// The tuning workflow on a real dev server with the real database mirror (SQLite); trials are stubbed with
// a cheap objective, so these tests are about orchestration: budget, mirror, resume, retries, warm start.
describe('tuningStudy workflow', function () {
  this.timeout(120_000);
  const taskQueue = `tuning-${process.pid}`;
  let env: TestWorkflowEnvironment;
  let tmp: string;
  let resources: KilnResources;
  let studies: StudyStore;
  let worker: Worker;
  let running: Promise<void>;
  let count = 0;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-study-'));
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    studies = createStudyStore(resources.db);
    const { openStudy, recordStudy } = createTuningActivities(resources);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows/tuning-study'),
      activities: { openStudy, recordStudy, runTrial: stubTrial },
    });
    running = worker.run();
  });

  after(async () => {
    worker?.shutdown();
    await running;
    await resources?.close();
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const studyInput = (overrides: Partial<TuningStudyInput> & { knobs?: StubKnobs } = {}): TuningStudyInput => {
    const { knobs = {}, ...rest } = overrides;
    return {
      studyName: `stub/${++count}`,
      modelName: 'stub',
      space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
      direction: 'maximize',
      sampler: { type: 'tpe', seed: 1 },
      pruner: { spec: { type: 'none' }, every: 10 },
      trials: 12,
      parallelism: 2,
      patience: 0,
      baseParams: knobs as never,
      trial: { datasetId: 'unused', splitKey: 'unused', target: { column: 'y', positive: '1' }, exclude: [], maxCategories: 50, maxRounds: 10, earlyStoppingRounds: 5, folds: 2, seed: 1, metric: 'roc_auc' },
      ...rest,
    };
  };
  const start = (input: TuningStudyInput) => env.client.workflow.start(tuningStudy, { taskQueue, workflowId: `study-${input.studyName.replace('/', '-')}-${Date.now()}`, args: [input] });

  it('runs the budget of trials in parallel and mirrors every one in the database, once', async () => {
    const input = studyInput({ trials: 12 });
    const result = await (await start(input)).result();
    assert.equal(result.completed, 12);
    assert.equal(result.stopReason, 'trials');
    assert.equal(result.bestRounds, 7);
    const { study, trials } = await studies.getStudy(input.studyName);
    assert.deepEqual(trials.map((t) => t.number), [...Array(12).keys()]);
    assert.ok(trials.every((t) => t.state === 'COMPLETE' && t.startedAt !== null && t.completedAt !== null && t.completedAt >= t.startedAt));
    assert.equal(study.state, 'complete');
    assert.equal(study.bestTrialNumber, result.bestTrial);
    assert.equal(study.bestValue, result.bestValue);
    assert.deepEqual(study.attrs, { stop_reason: 'trials' });
    assert.equal(study.modelName, 'stub');
    assert.deepEqual(trials[result.bestTrial]!.params, Object.fromEntries(Object.entries(result.bestParams).filter(([k]) => k === 'x' || k === 'y')));
  });

  it('stops at its wall-time budget (a durable timer), finishing the running trials', async () => {
    const input = studyInput({ trials: 1000, timeout: '2s', knobs: { delay_ms: 300 } });
    const result = await (await start(input)).result();
    assert.equal(result.stopReason, 'timeout');
    const { study, trials } = await studies.getStudy(input.studyName);
    assert.ok(trials.length >= 4 && trials.length < 30, `${trials.length} trials in 2 s of 300 ms trials, two at a time`);
    assert.ok(trials.every((t) => t.state === 'COMPLETE'), 'running trials finished, none was abandoned');
    assert.equal(study.state, 'complete');
    assert.equal(study.attrs.stop_reason, 'timeout');
  });

  it('is marked stopped when stopped by signal', async () => {
    const input = studyInput({ trials: 1000, knobs: { delay_ms: 100 } });
    const handle = await start(input);
    while ((await handle.query(studyProgressQuery)).done < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    await handle.signal(stopStudySignal);
    const result = await handle.result();
    assert.equal(result.stopReason, 'signal');
    assert.equal((await studies.findStudy(input.studyName))!.state, 'stopped');
  });

  it('retries a trial whose attempt was lost, counting it once', async () => {
    const input = studyInput({ trials: 4, knobs: { fail_attempts: 1 } });
    const result = await (await start(input)).result();
    assert.deepEqual([result.completed, result.failed], [4, 0]);
    assert.equal((await studies.getStudy(input.studyName)).trials.length, 4);
  });

  it('fails a trial cleanly after its last attempt, and the study goes on', async () => {
    const input = studyInput({ trials: 3, parallelism: 3, knobs: { fail_attempts: 3 } });
    const handle = await start({ ...input, trials: 3 });
    await assert.rejects(handle.result(), (error: Error) => /no trial completed/.test(String((error.cause as Error | undefined)?.message)));
    const { trials } = await studies.getStudy(input.studyName);
    assert.deepEqual(trials.map((t) => t.state), ['FAIL', 'FAIL', 'FAIL']);
    assert.match(String(trials[0]!.systemAttrs.fail_reason), /attempt 3 lost its worker/);
  });

  it('resumes a study whose run was terminated: finished trials kept, abandoned ones failed and run again', async () => {
    const input = studyInput({ trials: 10, knobs: { delay_ms: 150 } });
    const first = await start(input);
    while ((await first.query(studyProgressQuery)).done < 4) await new Promise((resolve) => setTimeout(resolve, 50));
    await first.terminate('worker fleet lost');
    const before = await studies.getStudy(input.studyName);
    const abandoned = before.trials.filter((t) => t.state === 'RUNNING');
    assert.ok(abandoned.length > 0, 'the terminated run left trials RUNNING');

    const result = await (await start(input)).result();
    const after = await studies.getStudy(input.studyName);
    assert.deepEqual(after.trials.map((t) => t.number), [...Array(10).keys()], 'no trial counted twice, the budget kept');
    for (const kept of before.trials.filter((t) => t.state === 'COMPLETE')) assert.deepEqual(after.trials[kept.number], kept);
    for (const lost of abandoned) {
      assert.equal(after.trials[lost.number]!.state, 'FAIL');
      assert.match(String(after.trials[lost.number]!.systemAttrs.fail_reason), /abandoned/);
      assert.ok(after.trials.some((t) => t.number > lost.number && t.state === 'COMPLETE' && t.params.x === lost.params.x), `trial ${lost.number} was run again`);
    }
    assert.equal(result.completed + result.failed, 10);
    assert.equal(result.failed, abandoned.length);
  });

  it('warm-starts from the model\'s previous study: reaches its best in fewer trials', async () => {
    const firstTrialReaching = (values: number[], target: number) => values.findIndex((v) => v >= target - 1e-12);
    const valuesOf = async (name: string) => (await studies.getStudy(name)).trials.map((t) => (t.value === null ? -Infinity : Number(t.value)));

    const previous = studyInput({ modelName: 'warm', trials: 30, sampler: { type: 'tpe', seed: 5 } });
    const best = (await (await start(previous)).result()).bestValue;
    const previousReached = firstTrialReaching(await valuesOf(previous.studyName), best);

    const cold = studyInput({ modelName: 'cold', trials: 15, sampler: { type: 'tpe', seed: 6 } });
    await (await start(cold)).result();
    const warm = studyInput({ modelName: 'warm', trials: 15, sampler: { type: 'tpe', seed: 6 }, warmStart: true });
    const warmResult = await (await start(warm)).result();
    const warmReached = firstTrialReaching(await valuesOf(warm.studyName), best);
    const coldReached = firstTrialReaching(await valuesOf(cold.studyName), best);

    assert.ok(previousReached >= 3, `the previous study found its best at trial ${previousReached}`);
    assert.ok(warmReached >= 0 && warmReached < 3, `the warm study reached it at trial ${warmReached}`);
    assert.ok(coldReached === -1 || coldReached > warmReached, `a cold study with the same seed: trial ${coldReached}`);
    assert.ok(warmResult.bestValue >= best);
  });
});
