// Pipeline bench: whole training runs on a real Temporal dev server, started as the tests start it (the
// Temporal CLI on ephemeral ports; SQLite and artifacts in a temp dir), the work done by `kiln worker`
// child processes, on this machine. Markdown tables:
//   runs     Telco (data/pipelines/telco-churn.yaml, 30 trials) and Kickstarter (data/pipelines/kickstarter.yaml,
//            50 trials): wall time per stage of the first run, of the same run again on unchanged data (dataset
//            version and feature sets reused), and the time saved
//   workers  the Telco run once more with a second worker process on the task queue: the study's trials per
//            worker and its wall time, against the one-worker run before it
// Every run searches telco-churn-tuned.yaml's space with its folds and rounds, sampled at random without
// pruning: so every run of a config trains the same trials. (TPE proposes by the order parallel trials
// finish, so two TPE runs differ by their trials more than by anything measured here.)
// Stage times come from the workflow histories (activity scheduled → completed, child workflow initiated →
// completed); feature times from the activities' own reports (`features` in their results). A warm-up run
// (another model name and feature seed: nothing shared) after each worker starts, so no run measures a
// worker's cold start.
// Run (heavy: hold the shared lock):
//   flock /tmp/kiln-heavy.lock npx tsx bench/pipeline-bench.ts [--quick] [--telco-trials 30] [--kickstarter-trials 50]
// --quick: 6 and 8 trials, to try the bench in a few minutes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { IngestResult } from '../activities/data';
import type { FeaturesReport } from '../activities/feature-sets';
import type { RunTrialResult } from '../activities/tuning';
import { loadPipelineConfig, type PipelineConfig } from '../lib/pipeline-config';
import { projectRoot } from '../lib/settings';
import { findTemporalCli } from '../lib/temporal-server';
import { startTraining } from '../lib/training-client';
import { activityMs, spansOf, type RunSpans } from './pipeline-bench.history';

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, 'telco-trials': { type: 'string' }, 'kickstarter-trials': { type: 'string' } },
});
const telcoTrials = Number(flags['telco-trials'] ?? (flags.quick ? 6 : 30));
const kickstarterTrials = Number(flags['kickstarter-trials'] ?? (flags.quick ? 8 : 50));
const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** A dataset's shipped config with telco-churn-tuned.yaml's search, `trials` long, sampled at random without pruning. */
function benchConfig(file: string, trials: number): PipelineConfig {
  const search = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn-tuned.yaml')).tuning!;
  const fixedTrials = { sampler: 'random', pruner: { ...search.pruner, type: 'none' } } as const;
  return { ...loadPipelineConfig(path.join(projectRoot, 'data/pipelines', file)), tuning: { ...search, trials, ...fixedTrials } };
}

interface MeasuredRun {
  spans: RunSpans;
  study: RunSpans;
  studyMs: number;
}

/** One training run to its end, with its history's spans and its study's. */
async function train(client: Client, taskQueue: string, config: PipelineConfig): Promise<MeasuredRun> {
  const handle = await startTraining(client, { taskQueue }, config);
  await handle.result();
  const spans = await spansOf(client, handle.workflowId, handle.firstExecutionRunId);
  const child = spans.children[0]!;
  return { spans, study: await spansOf(client, child.workflowId, child.runId), studyMs: child.completedMs - child.initiatedMs };
}

const resultsOf = <T>(spans: RunSpans, type: string) => spans.activities.filter((span) => span.type === type).map((span) => span.result as T);

/** Feature time and counts over the reports of some activities. */
function features(reports: Array<FeaturesReport | undefined>): { ms: number; note: string } {
  const sum = (pick: (report: FeaturesReport) => number) => reports.reduce((total, report) => total + (report ? pick(report) : 0), 0);
  return { ms: sum((r) => r.ms), note: `${sum((r) => r.fittedSets)} fitted, ${sum((r) => r.reusedSets)} reused` };
}

/** Per stage: [name, ms, note]. "other" is what no stage accounts for: workflow tasks, run records, queueing. */
function stages({ spans, study, studyMs }: MeasuredRun): Array<[string, number, string]> {
  const ingest = resultsOf<IngestResult>(spans, 'ingest')[0]!;
  const trainFeatures = features(resultsOf<{ features?: FeaturesReport }>(spans, 'trainModel').map((result) => result.features));
  const trials = resultsOf<RunTrialResult>(study, 'runTrial');
  const trialFeatures = features(trials.map((result) => result.features));
  const pruned = trials.filter((trial) => trial.pruned).length;
  const top: Array<[string, number, string]> = [
    ['ingest', activityMs(spans, 'ingest'), ingest.created ? 'new dataset version' : 'same dataset version'],
    ['validate', activityMs(spans, 'validateDataset'), ''],
    ['split', activityMs(spans, 'splitDataset'), ''],
    ['buildFeatures', activityMs(spans, 'buildFeatures'), features(resultsOf<FeaturesReport>(spans, 'buildFeatures')).note],
    ['tuning study', studyMs, `${trials.length} trials`],
    ['trainFinal', activityMs(spans, 'trainModel'), ''],
    ['evaluate', activityMs(spans, 'evaluateModel'), ''],
    ['register + model card', activityMs(spans, 'registerModelVersion') + activityMs(spans, 'writeModelCard'), ''],
    ['gate/promote', activityMs(spans, 'promoteModelVersion'), resultsOf(spans, 'promoteModelVersion').length ? 'promoted' : 'kept production'],
  ];
  const total = spans.closedMs - spans.startedMs;
  return [
    ...top,
    ['other (workflow tasks, run records)', total - top.reduce((sum, [, ms]) => sum + ms, 0), ''],
    ['**total**', total, ''],
    ['inside: features of trainFinal (its report)', trainFeatures.ms, trainFeatures.note],
    ['inside: features of the trials (their reports, summed)', trialFeatures.ms, trialFeatures.note],
    ['inside: trial activities, summed (the search\'s work)', activityMs(study, 'runTrial'), `${trials.length - pruned} complete, ${pruned} pruned`],
  ];
}

function printRuns(title: string, first: MeasuredRun, again: MeasuredRun): void {
  const [a, b] = [stages(first), stages(again)];
  console.log(`\n### ${title}\n`);
  console.log('| stage | first run (s) | same run again, unchanged data (s) | saved (s) | first run | run again |');
  console.log('| --- | ---: | ---: | ---: | --- | --- |');
  a.forEach(([name, ms, note], i) => {
    const [, againMs, againNote] = b[i]!;
    console.log(`| ${name} | ${seconds(ms)} | ${seconds(againMs)} | ${seconds(ms - againMs)} | ${note} | ${againNote} |`);
  });
  const featuresMs = (rows: typeof a) => rows.filter(([name]) => name === 'buildFeatures' || name.startsWith('inside: features')).reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`\nSaved by the reuse: ${seconds(featuresMs(a) - featuresMs(b))} s of feature fitting and dataset loading (buildFeatures and the features the later steps read).`);
  console.log('Both runs train the same trials (the search runs again, on purpose); the rest of each difference is the machine\'s noise.');
}

/** Trials per worker of one study, and the time each worker spent in them. */
function perWorker(study: RunSpans, names: Map<string, string>): string {
  const byWorker = new Map<string, { trials: number; ms: number }>();
  for (const span of study.activities.filter((s) => s.type === 'runTrial')) {
    const name = names.get(span.identity) ?? span.identity;
    const entry = byWorker.get(name) ?? { trials: 0, ms: 0 };
    byWorker.set(name, { trials: entry.trials + 1, ms: entry.ms + span.completedMs - span.scheduledMs });
  }
  return [...byWorker].sort(([a], [b]) => a.localeCompare(b)).map(([name, { trials, ms }]) => `${name}: ${trials} trials, ${seconds(ms)} s`).join('; ');
}

/** Waits until `count` workers poll the task queue for activities (each takes a few seconds to bundle its workflows). */
async function waitForWorkers(client: Client, taskQueue: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    if (new Set(pollers.map((poller) => poller.identity)).size >= count) return;
    if (Date.now() > deadline) throw new Error(`${count} workers did not poll ${taskQueue} within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-pipeline-bench-'));
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  const taskQueue = 'pipeline-bench';
  const settings = { databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') };
  const workers: ChildProcess[] = [];
  const names = new Map<string, string>();
  const startWorker = async () => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), 'worker'], {
      env: {
        ...process.env, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: env.namespace ?? 'default', KILN_TASK_QUEUE: taskQueue,
        DATABASE_URL: settings.databaseUrl, KILN_ARTIFACTS: settings.artifactsDir, LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    // The SDK's default worker identity, as the history records it for each activity.
    names.set(`${child.pid}@${os.hostname()}`, `worker ${workers.length}`);
    await waitForWorkers(env.client, taskQueue, workers.length);
  };

  /** A short run sharing nothing with the measured ones (another model name and feature seed), so no worker is measured cold. */
  const warmUp = async () => {
    log('warm-up run');
    const config = benchConfig('telco-churn.yaml', 4);
    await train(env.client, taskQueue, { ...config, name: 'warm-up', features: { ...config.features, seed: 7 } });
  };

  try {
    console.log(`# Pipeline bench — ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, one Temporal dev server, workers as child processes\n`);
    console.log('Stage times from the workflow histories (activity scheduled → completed; the study: child workflow initiated → completed).');
    console.log('Feature rows: the time the activities report for their features (fitted, or reused from the artifact store), inside the stages above.');
    await startWorker();
    await warmUp();
    const telco = benchConfig('telco-churn.yaml', telcoTrials);
    const runs: Array<[string, PipelineConfig]> = [['Telco', telco], ['Kickstarter sample', benchConfig('kickstarter.yaml', kickstarterTrials)]];
    const again = new Map<PipelineConfig, MeasuredRun>();
    for (const [title, config] of runs) {
      log(`${title}: first run (${config.tuning!.trials} trials)`);
      const first = await train(env.client, taskQueue, config);
      log(`${title}: the same run again`);
      again.set(config, await train(env.client, taskQueue, config));
      printRuns(`${title} (${config.name}, ${config.tuning!.trials} trials, one worker)`, first, again.get(config)!);
    }

    log('Telco on two workers');
    await startWorker();
    await warmUp();
    const shared = await train(env.client, taskQueue, telco);
    console.log(`\n### One study's trials on one worker process and on two (Telco, the same ${telcoTrials} trials, parallelism ${telco.tuning!.parallelism}, features reused)\n`);
    console.log('| workers | study wall time (s) | trial activities, summed (s) | trials per worker (and the time spent in them) |');
    console.log('| --- | ---: | ---: | --- |');
    for (const [count, run] of [['1 (the Telco run again, above)', again.get(telco)!], ['2', shared]] as const) {
      console.log(`| ${count} | ${seconds(run.studyMs)} | ${seconds(activityMs(run.study, 'runTrial'))} | ${perWorker(run.study, names)} |`);
    }
    console.log(`\nThis machine has ${os.cpus().length} cores. Each worker runs up to 2 activities and the study keeps ${telco.tuning!.parallelism} trials in flight (each`);
    console.log(`XGBoost with nthread ${telco.training.params.nthread}): two worker processes on one machine share the same cores, so the table shows the trials`);
    console.log('spreading across workers, not a speed-up; workers on more machines add cores (raise `parallelism` with them).');
  } finally {
    await Promise.all(workers.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))));
    await env.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
