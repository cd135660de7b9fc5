// Orchestration overhead of a study on a real dev server: trivial trials, parallelism 1, the real database
// mirror (SQLite). The gap from one trial's completion to the next one's scheduling is what Kiln adds
// (sampler, mirror activity, workflow task); the same gap in a bare loop of the same activity is the floor.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createTuningActivities, type RunTrialInput, type RunTrialResult } from '../activities/tuning';
import { openResources } from '../lib/resources';
import { findTemporalCli } from '../lib/temporal-server';
import type { TuningStudyInput } from '../workflows/tuning-study';
import { bareTrials, tuningStudy } from './tuning-bench.workflows';

export interface OrchestrationResult {
  /** Per trial after the first: ms from the previous trial's completion to this one's scheduling. */
  studyGaps: number[];
  bareGaps: number[];
  studyMsPerTrial: number;
  bareMsPerTrial: number;
}

const trivialTrial = async (input: RunTrialInput): Promise<RunTrialResult> => {
  const { x } = input.params as { x?: number };
  const value = -(((x ?? 0) - 0.3) ** 2);
  return { value, pruned: false, intermediate: [], foldValues: [value], bestRounds: [1], resumedFolds: 0, finishedAt: Date.now() };
};

const trialInput: RunTrialInput = {
  datasetId: 'none', splitKey: 'none', target: { column: 'y', positive: '1' }, exclude: [], maxCategories: 1,
  params: {}, maxRounds: 1, earlyStoppingRounds: 1, folds: 2, seed: 1, metric: 'roc_auc',
};

async function trialGaps(handle: WorkflowHandle): Promise<number[]> {
  const history = await handle.fetchHistory();
  const ms = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
  const trialIds = new Set<string>();
  const scheduled: number[] = [];
  const completed: number[] = [];
  for (const event of history.events ?? []) {
    const schedule = event.activityTaskScheduledEventAttributes;
    if (schedule?.activityType?.name === 'runTrial') {
      trialIds.add(String(event.eventId));
      scheduled.push(ms(event.eventTime));
    }
    const done = event.activityTaskCompletedEventAttributes;
    if (done && trialIds.has(String(done.scheduledEventId))) completed.push(ms(event.eventTime));
  }
  return scheduled.slice(1).map((at, i) => at - completed[i]!);
}

export async function measureOrchestration(trials: number): Promise<OrchestrationResult> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-orchestration-'));
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  const resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
  const { openStudy, recordStudy } = createTuningActivities(resources);
  const taskQueue = 'bench-orchestration';
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('./tuning-bench.workflows'),
    activities: { openStudy, recordStudy, runTrial: trivialTrial },
  });
  const running = worker.run();
  try {
    const study: TuningStudyInput = {
      studyName: 'bench/orchestration', modelName: 'bench', space: { x: { type: 'float', low: 0, high: 1 } }, direction: 'maximize',
      sampler: { type: 'tpe', seed: 1 }, pruner: { spec: { type: 'none' }, every: 1 }, trials, parallelism: 1, patience: 0, baseParams: {}, trial: trialInput,
    };
    let started = performance.now();
    const studyHandle = await env.client.workflow.start(tuningStudy, { taskQueue, workflowId: 'bench-study', args: [study] });
    await studyHandle.result();
    const studyMsPerTrial = (performance.now() - started) / trials;
    started = performance.now();
    const bareHandle = await env.client.workflow.start(bareTrials, { taskQueue, workflowId: 'bench-bare', args: [trialInput, trials] });
    await bareHandle.result();
    const bareMsPerTrial = (performance.now() - started) / trials;
    return { studyGaps: await trialGaps(studyHandle), bareGaps: await trialGaps(bareHandle), studyMsPerTrial, bareMsPerTrial };
  } finally {
    worker.shutdown();
    await running;
    await resources.close();
    await env.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
