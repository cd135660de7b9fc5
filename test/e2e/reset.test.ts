import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { resetTrainingRun } from '../../lib/reset';
import { projectRoot } from '../../lib/settings';
import { startKilnTestStack, type KilnTestStack } from '../support/kiln-stack';
import { startTraining } from '../../lib/training-client';
import type { trainingPipeline } from '../../workflows/training-pipeline';

// A run fails in evaluation; after the cause is fixed, `kiln reset` re-runs it from that step on a real
// dev server, and the upstream activities (ingest, training) are not executed again.
describe('re-running a failed training from the failed step', function () {
  this.timeout(300_000);
  let taskQueue: string;
  let stack: KilnTestStack;
  let env: TestWorkflowEnvironment;
  let evaluationBroken = true;
  const calls: Record<string, number> = { ingest: 0, trainModel: 0, evaluateModel: 0 };

  before(async () => {
    stack = await startKilnTestStack('reset', {
      overrides: (real) => ({
        ingest: (input) => { calls.ingest!++; return real.ingest(input); },
        trainModel: (input) => { calls.trainModel!++; return real.trainModel(input); },
        evaluateModel: async (input) => {
          calls.evaluateModel!++;
          if (evaluationBroken) throw ApplicationFailure.nonRetryable('the scorer crashed (a bug fixed in the next deploy)');
          return real.evaluateModel(input);
        },
      }),
    });
    ({ env, taskQueue } = stack);
  });

  after(() => stack?.close());

  it('resets to before the failed activity, reusing ingest and training', async () => {
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    const failed = await startTraining(env.client, { taskQueue }, config);
    await assert.rejects(failed.result(), WorkflowFailedError);
    assert.deepEqual(calls, { ingest: 1, trainModel: 1, evaluateModel: 1 });

    evaluationBroken = false;
    const reset = await resetTrainingRun(env.client, config.name);
    assert.equal(reset.fromRunId, failed.firstExecutionRunId);
    assert.equal(reset.restartsAt, 'evaluateModel');
    assert.deepEqual(reset.reused, ['recordRunStarted', 'ingest', 'validateDataset', 'splitDataset', 'buildFeatures', 'trainModel']);
    const result = await env.client.workflow.getHandle<typeof trainingPipeline>(reset.workflowId, reset.runId).result();
    assert.equal(result.version, 1);
    assert.equal(result.promoted, true);
    assert.deepEqual(calls, { ingest: 1, trainModel: 1, evaluateModel: 2 }, 'only evaluation and what follows ran again');
  });

  it('resets a run to a named step with the CLI, and names what it cannot do', async () => {
    const environment = { ...process.env, TEMPORAL_ADDRESS: env.address, KILN_TASK_QUEUE: taskQueue };
    const kiln = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), ...args], { env: environment, encoding: 'utf8' });
    const noFailure = kiln('reset', 'telco-churn');
    assert.equal(noFailure.status, 1);
    assert.match(noFailure.stderr, /has no failed step to reset to \(status COMPLETED\); name one with --to/);
    const unknownStep = kiln('reset', 'telco-churn', '--to', 'fitEverything');
    assert.match(unknownStep.stderr, /--to: train-telco-churn never ran activity "fitEverything" \(it ran: recordRunStarted, ingest, validateDataset, splitDataset, buildFeatures, trainModel, evaluateModel/);
    const unknownModel = kiln('reset', 'no-such-model');
    assert.match(unknownModel.stderr, /kiln: no training run train-no-such-model/);

    // Asynchronously: the worker that runs the reset run lives in this process.
    const rerun = await promisify(execFile)(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), 'reset', 'telco-churn', '--to', 'trainModel', '--wait'], { env: environment, encoding: 'utf8' });
    assert.match(rerun.stdout, /re-runs from trainModel; reuses recordRunStarted, ingest, validateDataset, splitDataset, buildFeatures\n/);
    assert.match(rerun.stdout, /model telco-churn version 2/);
    assert.deepEqual(calls, { ingest: 1, trainModel: 2, evaluateModel: 3 });
  });
});
