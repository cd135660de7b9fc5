import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStudyStore, type StudyHeader } from '../../db';
import { openResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import type { TrialJson } from '../../models/tuning';

// `kiln studies` against a database holding two studies, as the tuning workflow's mirror leaves them.
describe('kiln studies', function () {
  this.timeout(60_000);
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const kiln = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), 'studies', ...args], { env, encoding: 'utf8' });

  const header = (name: string, state: StudyHeader['state']): StudyHeader => ({
    name, modelName: 'churn', workflowId: 'train-churn-study', direction: 'maximize', sampler: { type: 'tpe', seed: 1 }, pruner: { type: 'median' },
    space: { eta: { type: 'float', low: 0.01, high: 0.3, log: true }, max_depth: { type: 'int', low: 2, high: 8 } }, attrs: state === 'running' ? {} : { stop_reason: 'patience' }, state,
  });
  const trial = (number: number, state: TrialJson['state'], value: number | null, eta: number): TrialJson => ({
    number, state, params: { eta, max_depth: 3 + number }, value, intermediateValues: {}, systemAttrs: state === 'COMPLETE' ? { best_rounds: 40 + number } : {},
    startedAt: 1_800_000_000_000 + number * 10_000, completedAt: state === 'RUNNING' ? null : 1_800_000_000_000 + number * 10_000 + 2_500,
  });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-studies-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, KILN_ARTIFACTS: path.join(tmp, 'artifacts'), TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const resources = await openResources({ databaseUrl: env.DATABASE_URL!, artifactsDir: env.KILN_ARTIFACTS! });
    const studies = createStudyStore(resources.db);
    await studies.saveStudy({ header: header('churn/run-1', 'complete'), revision: 3, trials: [trial(0, 'COMPLETE', 0.81, 0.1), trial(1, 'PRUNED', 0.7, 0.2), trial(2, 'COMPLETE', 0.84, 0.05)] });
    await studies.saveStudy({ header: { ...header('upsell/run-1', 'running'), modelName: 'upsell' }, revision: 1, trials: [trial(0, 'RUNNING', null, 0.1)] });
    await resources.close();
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists studies newest first, filtered by model, as a table and as JSON', () => {
    const table = kiln('list');
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /^study\s+model\s+state\s+complete\s+pruned\s+failed\s+running\s+best\s+best trial\s+updated$/);
    assert.match(lines[2]!, /^upsell\/run-1\s+upsell\s+running\s+0\s+0\s+0\s+1\s+/);
    assert.match(lines[3]!, /^churn\/run-1\s+churn\s+complete\s+2\s+1\s+0\s+0\s+0\.8400\s+2\s+/);
    const json = JSON.parse(kiln('list', '--model', 'churn', '--json').stdout) as Array<{ name: string; bestValue: number; trialCounts: Record<string, number> }>;
    assert.deepEqual(json.map((s) => [s.name, s.bestValue, s.trialCounts.COMPLETE]), [['churn/run-1', 0.84, 2]]);
  });

  it('shows one study: its trials with parameters, the best marked', () => {
    const shown = kiln('show', 'churn/run-1');
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /^study churn\/run-1  model: churn  state: complete \(patience\)  maximize$/m);
    assert.match(shown.stdout, /^trials: 3 finished of 3  best: trial 2, 0\.8400$/m);
    assert.match(shown.stdout, /^trial\s+state\s+value\s+rounds\s+seconds\s+eta\s+max_depth$/m);
    assert.match(shown.stdout, /^1\s+PRUNED\s+0\.7000\s+2\.5\s+0\.2000\s+4$/m);
    assert.match(shown.stdout, /^2 \*\s+COMPLETE\s+0\.8400\s+42\s+2\.5\s+0\.05000\s+5$/m);
    const json = JSON.parse(kiln('show', 'churn/run-1', '--json').stdout) as { state: string; trials: TrialJson[]; temporalUi: string };
    assert.equal(json.state, 'complete');
    assert.deepEqual(json.trials.map((t) => t.state), ['COMPLETE', 'PRUNED', 'COMPLETE']);
    assert.match(json.temporalUi, /workflows\/train-churn-study$/);
  });

  it('names an unknown study', () => {
    const missing = kiln('show', 'nope');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no study named "nope"/);
  });
});
