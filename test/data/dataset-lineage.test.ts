import assert from 'node:assert/strict';
import { NotFoundError } from '../../lib/errors';
import { engines, registryFixture, type RegistryFixture, type TestEngine } from '../db/engines';
import { hashA, hashB } from '../db/helpers';

const version = (contentHash: string, extra: object = {}) => ({
  name: 'orders',
  contentHash,
  snapshotKey: `sha256:${contentHash}`,
  rowCount: 2,
  schema: [{ name: 'id', type: 'number', missing: 0 }],
  source: { sources: [{ type: 'csv', path: 'orders.csv', rows: 2 }] },
  ...extra,
});

for (const spec of engines) {
  describe(`dataset lineage on ${spec.name}`, function () {
    this.timeout(60_000);
    let engine: TestEngine | undefined;
    let f: RegistryFixture;
    before(async () => {
      engine = await spec.start();
    });
    after(() => engine?.close());
    beforeEach(async () => {
      f = await registryFixture(engine!);
    });
    afterEach(() => f.destroy());

    it('stores the parent, the watermark and the profile key, and lists versions newest first', async () => {
      const { dataset: first } = await f.registry.upsertDataset(version(hashA, { watermark: { column: 'updated_at', value: '2024-05-01 09:30:00' }, profileKey: `sha256:${'p'.repeat(64)}` }));
      await new Promise((resolve) => setTimeout(resolve, 5)); // versions are ordered by their millisecond timestamps
      const { dataset: second } = await f.registry.upsertDataset(version(hashB, { parentId: first.id, watermark: { column: 'id', value: 42 } }));
      assert.deepEqual([first.parentId, first.watermark, first.profileKey], [null, { column: 'updated_at', value: '2024-05-01 09:30:00' }, `sha256:${'p'.repeat(64)}`]);
      assert.deepEqual([second.parentId, second.watermark, second.profileKey], [first.id, { column: 'id', value: 42 }, null]);
      assert.deepEqual(await f.registry.getDataset(second.id), second);
      assert.deepEqual((await f.registry.listDatasets('orders')).map((d) => d.id), [second.id, first.id]);
      assert.deepEqual(await f.registry.listDatasets('unknown'), []);
    });

    it('refuses a parent that is not registered', async () => {
      await assert.rejects(f.registry.upsertDataset(version(hashA, { parentId: 'orders@000000000000' })), (e: unknown) => e instanceof NotFoundError && /parentId: dataset "orders@000000000000"/.test(e.message));
    });
  });
}
