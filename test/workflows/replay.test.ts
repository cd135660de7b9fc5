import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { projectRoot } from '../../lib/settings';

// Histories recorded from real runs (KILN_RECORD_HISTORIES=1 npx mocha test/e2e) are replayed against
// today's workflow code: a change that would break runs already in flight fails here.
describe('workflow replay of recorded histories', function () {
  this.timeout(120_000);
  const folder = path.join(projectRoot, 'test/fixtures/histories');
  const files = fs.readdirSync(folder).filter((file) => file.endsWith('.json'));

  it('has recorded histories to replay', () => assert.ok(files.length >= 3, `${files.length} histories in ${folder}`));

  const histories = () =>
    files.map((file) => ({
      workflowId: path.basename(file, '.json').split('__')[0]!,
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'))),
    }));

  it('replays every recorded history deterministically', async () => {
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../../workflows') }, histories())) {
      assert.equal(result.error, undefined, `${result.workflowId}: ${result.error?.message}`);
      replayed++;
    }
    assert.equal(replayed, files.length);
  });

  it('fails the replay of a workflow changed incompatibly', async () => {
    const [first] = histories();
    await assert.rejects(
      Worker.runReplayHistory({ workflowsPath: require.resolve('./changed') }, first!.history, first!.workflowId),
      (error: Error) => error.name === 'DeterminismViolationError',
    );
  });
});
