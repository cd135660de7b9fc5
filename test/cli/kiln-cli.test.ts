import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';

describe('kiln CLI', function () {
  this.timeout(60_000);
  let tmp: string;
  let env: NodeJS.ProcessEnv;

  const kiln = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), ...args], { env, encoding: 'utf8' });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, KILN_ARTIFACTS: path.join(tmp, 'artifacts'), TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const resources = await openResources({ databaseUrl: env.DATABASE_URL!, artifactsDir: env.KILN_ARTIFACTS! });
    const { dataset } = await resources.registry.upsertDataset({ name: 'churn', contentHash: 'a'.repeat(64), snapshotKey: `sha256:${'b'.repeat(64)}`, rowCount: 10, schema: [], source: {} });
    const checksum = { sha256: 'e'.repeat(64), size: 100 };
    for (const runId of ['r1', 'r2']) {
      await resources.registry.startRun({ modelName: 'churn', workflowId: 'train-churn', runId, config: { name: 'churn' } });
      const { version } = await resources.registry.registerModelVersion({
        modelName: 'churn', datasetId: dataset.id, params: { max_depth: 3 }, metrics: { roc_auc: 0.8 }, modelKey: `sha256:${'c'.repeat(64)}`, pipelineKey: `sha256:${'d'.repeat(64)}`,
        workflowId: 'train-churn', runId, modelChecksum: checksum, pipelineChecksum: checksum, codeVersion: 'abc123',
      });
      await resources.registry.finishRun({ workflowId: 'train-churn', runId, outcome: runId === 'r1' ? 'promoted' : 'kept-production', datasetId: dataset.id, modelVersion: version });
    }
    await resources.registry.startRun({ modelName: 'upsell', workflowId: 'train-upsell', runId: 'r3', config: { name: 'upsell' } });
    await resources.registry.setModelCard('churn', 2, resources.artifacts.put(Buffer.from('# churn, version 2\n\n## Intended use\n')));
    await resources.registry.promote({ modelName: 'churn', version: 1, reason: 'first', actor: 'test' });
    await resources.close();
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists models and versions as tables and JSON', () => {
    const table = kiln('models', 'list');
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /churn\s+1\s+2/);
    const versions = JSON.parse(kiln('models', 'list', 'churn', '--json').stdout) as Array<{ version: number; stage: string }>;
    assert.deepEqual(versions.map((v) => [v.version, v.stage]), [[1, 'production'], [2, 'candidate']]);
  });

  it('promotes a version, audited, and shows its lineage', () => {
    const promoted = kiln('models', 'promote', 'churn', '2', '--reason', 'better on the holdout');
    assert.equal(promoted.status, 0, promoted.stderr);
    assert.match(promoted.stdout, /churn v2 is now in production \(v1 archived\)/);
    assert.match(kiln('models', 'promote', 'churn', '2', '--reason', 'again').stdout, /already in production/);
    const shown = JSON.parse(kiln('models', 'show', 'churn', '2', '--json').stdout);
    assert.equal(shown.stage, 'production');
    assert.equal(shown.dataset.rowCount, 10);
    assert.match(shown.temporalUi, /workflows\/train-churn\/r2\/history$/);
    assert.deepEqual(shown.history.map((t: { toStage: string }) => t.toStage), ['candidate', 'production']);
    assert.deepEqual([shown.run.runId, shown.run.outcome, shown.codeVersion, shown.modelChecksum.size], ['r2', 'kept-production', 'abc123', 100]);
    const text = kiln('models', 'show', 'churn', '2');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^run: train-churn \/ r2  completed \(kept-production\)\n  http:\/\/localhost:1001\/namespaces\/default\/workflows\/train-churn\/r2\/history$/m);
    assert.match(text.stdout, /^code: abc123$/m);
    assert.match(text.stdout, /^artifacts: model sha256 eeeeeeeeeeeeeeee…, 100 bytes; pipeline sha256 eeeeeeeeeeeeeeee…, 100 bytes$/m);
    assert.match(text.stdout, /^card: kiln models card churn 2$/m);
  });

  it('moves a version to staging and back, and names a bad stage', () => {
    const staged = kiln('models', 'stage', 'churn', '1', 'staging', '--reason', 'shadow traffic');
    assert.equal(staged.status, 0, staged.stderr);
    assert.match(staged.stdout, /^churn v1: archived → staging$/m);
    assert.match(kiln('models', 'stage', 'churn', '1', 'staging', '--reason', 'again').stdout, /churn v1 was already staging/);
    const bad = kiln('models', 'stage', 'churn', '1', 'prod', '--reason', 'x');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /kiln: stage: expected candidate, staging or archived \(production is entered by promote\), got "prod"/);
    assert.equal(kiln('models', 'stage', 'churn', '1', 'archived', '--reason', 'done').status, 0);
  });

  it('lists runs from the database, newest first, as a table and as JSON, by model and up to a limit', () => {
    const table = kiln('runs');
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /^run\s+model\s+status\s+outcome\s+dataset version\s+model version\s+started\s+duration\s+web ui$/);
    assert.match(lines[2]!, /^r3\s+upsell\s+running\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+s so far\s+http:\/\/localhost:1001\/namespaces\/default\/workflows\/train-upsell\/r3\/history$/);
    assert.match(lines[3]!, /^r2\s+churn\s+completed\s+kept-production\s+churn@aaaaaaaaaaaa\s+2\s+\S+ \S+\s+\d+s\s+http/);
    const runs = JSON.parse(kiln('runs', '--model', 'churn', '--json').stdout) as Array<{ runId: string; status: string; outcome: string; modelVersion: number; temporalUi: string }>;
    assert.deepEqual(runs.map((run) => [run.runId, run.status, run.outcome, run.modelVersion]), [['r2', 'completed', 'kept-production', 2], ['r1', 'completed', 'promoted', 1]]);
    assert.match(runs[0]!.temporalUi, /\/workflows\/train-churn\/r2\/history$/);
    assert.equal(JSON.parse(kiln('runs', '--limit', '1', '--json').stdout).length, 1);
    assert.equal(kiln('runs', '--limit', 'x').stderr.trim(), 'kiln: --limit: expected a positive whole number, got "x"');
  });

  it("prints a version's model card, and says when there is none", () => {
    const card = kiln('models', 'card', 'churn', '2');
    assert.equal(card.status, 0, card.stderr);
    assert.equal(card.stdout, '# churn, version 2\n\n## Intended use\n');
    const none = kiln('models', 'card', 'churn', '1');
    assert.equal(none.status, 1);
    assert.equal(none.stderr.trim(), 'kiln: churn v1 has no model card (it was registered before cards were written)');
  });

  it('rolls back to the version production replaced, and --from makes a repeat a no-op', () => {
    const back = kiln('models', 'rollback', 'churn', '--reason', 'regression', '--from', '2');
    assert.equal(back.status, 0, back.stderr);
    assert.match(back.stdout, /churn rolled back: v1 is in production/);
    assert.match(kiln('models', 'rollback', 'churn', '--reason', 'regression', '--from', '2').stdout, /nothing to roll back from v2/);
  });

  it('fails with one clear line and a non-zero exit code', () => {
    const missing = kiln('models', 'show', 'churn', '9');
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr.trim(), 'kiln: model "churn" has no version 9');
    const badConfig = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(badConfig, 'name: churn\nsource: { type: csv }\n');
    const train = kiln('train', '--config', badConfig);
    assert.equal(train.status, 1);
    assert.match(train.stderr, /bad\.yaml is invalid:\n\s+source\.path: /);
    const unreachable = kiln('train', '--config', path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, /cannot reach Temporal at 127\.0\.0\.1:1 .*npx kiln server/);
  });
});
