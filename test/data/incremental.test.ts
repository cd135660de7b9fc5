import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { fromParquet, toRecords } from '../../models/data/tabular';
import { csv, ingestFixture, type IngestFixture } from './fixture';

const header = 'order_id,amount,updated_at';
const day1 = [header, '1,10,2024-05-01 08:00:00', '2,20,2024-05-01 09:30:00'];
const day2 = [...day1, '3,30,2024-05-02 10:00:00', '4,40,2024-05-02 11:15:00'];

describe('incremental loading on a watermark column', () => {
  let f: IngestFixture;
  beforeEach(async () => {
    f = await ingestFixture();
  });
  afterEach(() => f.close());

  const rowsOf = async (datasetId: string) => {
    const dataset = await f.resources.registry.getDataset(datasetId);
    return toRecords(fromParquet(f.resources.artifacts.get(dataset.snapshotKey)));
  };

  it('adds only the rows past the last watermark, records the parent, and reuses the version when nothing is new', async () => {
    const path = f.write('orders.csv', day1.join('\n'));
    const input = { datasetName: 'orders', source: csv(path), incremental: { watermark: 'updated_at' } };

    const first = await f.activities.ingest(input);
    assert.deepEqual({ ...first, datasetId: undefined }, { datasetId: undefined, rowCount: 2, created: true });
    const v1 = await f.resources.registry.getDataset(first.datasetId);
    assert.deepEqual([v1.parentId, v1.watermark], [null, { column: 'updated_at', value: '2024-05-01 09:30:00' }]);

    // The source now holds the old rows, two new ones, and an old row changed after it was ingested:
    // rows at or before the watermark are not read again.
    f.write('orders.csv', [...day2.slice(0, 2), '2,999,2024-05-01 09:30:00', ...day2.slice(3)].join('\n'));
    const second = await f.activities.ingest(input);
    assert.equal(second.created, true);
    assert.equal(second.parentId, first.datasetId);
    assert.equal(second.addedRows, 2);
    assert.equal(second.rowCount, 4);
    assert.deepEqual((await rowsOf(second.datasetId)).map((r) => [r.order_id, r.amount]), [[1, 10], [2, 20], [3, 30], [4, 40]]);
    const v2 = await f.resources.registry.getDataset(second.datasetId);
    assert.deepEqual([v2.parentId, v2.watermark], [first.datasetId, { column: 'updated_at', value: '2024-05-02 11:15:00' }]);
    assert.deepEqual((v2.source as { incremental: unknown }).incremental, { watermark: 'updated_at', after: '2024-05-01 09:30:00', addedRows: 2 });

    const third = await f.activities.ingest(input);
    assert.deepEqual(third, { datasetId: second.datasetId, rowCount: 4, created: false, parentId: first.datasetId, addedRows: 0 });
  });

  it('reads a source that holds only the new rows (a feed) the same way', async () => {
    const input = (path: string) => ({ datasetName: 'feed', sources: [{ type: 'jsonl' as const, path }], incremental: { watermark: 'seq' } });
    const first = await f.activities.ingest(input(f.write('feed-1.jsonl', '{"seq":1,"v":"a"}\n{"seq":2,"v":"b"}\n')));
    const second = await f.activities.ingest(input(f.write('feed-2.jsonl', '{"seq":3,"v":"c"}\n')));
    assert.equal(second.parentId, first.datasetId);
    assert.deepEqual((await rowsOf(second.datasetId)).map((r) => r.seq), [1, 2, 3]);
    const v2 = await f.resources.registry.getDataset(second.datasetId);
    assert.deepEqual(v2.watermark, { column: 'seq', value: 3 });
  });

  it('starts a new chain when the watermark column changes, and keeps full loads out of it', async () => {
    const path = f.write('orders.csv', day1.join('\n'));
    await f.activities.ingest({ datasetName: 'orders', source: csv(path) });
    const byTime = await f.activities.ingest({ datasetName: 'orders', source: csv(path), incremental: { watermark: 'updated_at' } });
    assert.equal(byTime.parentId, undefined, 'a full load has no watermark to continue from');
    f.write('orders.csv', day2.join('\n'));
    const byId = await f.activities.ingest({ datasetName: 'orders', source: csv(path), incremental: { watermark: 'order_id' } });
    assert.equal(byId.parentId, undefined);
    assert.equal(byId.rowCount, 4);
  });

  it('fails for good on a watermark column that is missing, blank or neither a number nor a date', async () => {
    const fails = async (text: string, watermark: string, message: RegExp) => {
      const input = { datasetName: 'bad', source: csv(f.write('bad.csv', text)), incremental: { watermark } };
      await assert.rejects(f.activities.ingest(input), (error: unknown) => error instanceof ApplicationFailure && error.nonRetryable && message.test(error.message));
    };
    await fails(day1.join('\n'), 'changed', /^incremental\.watermark: "changed" is not a column of the data \(columns: order_id, amount, updated_at\)$/);
    await fails(`${header}\n1,10,\n`, 'updated_at', /^incremental\.watermark: row 1 has no "updated_at"; every row needs a watermark$/);
    await fails(`${header}\n1,10,yesterday\n`, 'updated_at', /^incremental\.watermark: row 1 has "updated_at" = "yesterday", neither a number nor an ISO date or time$/);
  });
});
