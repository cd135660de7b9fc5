import assert from 'node:assert/strict';
import { telcoApp, telcoRecords, type TelcoApp } from './telco-model';

// Batch requests are paced by the prediction log: while its queue is over half full, a batch waits for
// the writes to catch up instead of overflowing the queue (rows are then dropped only in an outage).
describe('batch predictions paced by the prediction log', function () {
  this.timeout(120_000);
  let served: TelcoApp;
  /** Settles the log's pending insert; the inserts wait for the test. */
  const inserts: Array<() => void> = [];

  before(async () => {
    served = await telcoApp({ writer: { maxQueue: 6, log: { insertRequestLogs: () => new Promise<void>((resolve) => inserts.push(resolve)) } } });
  });
  after(() => served.close());

  const batch = async (records: unknown[]) => served.app.request('/predict/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });

  it('answers at once while the queue has room, then waits until the log writes', async () => {
    const records = telcoRecords().slice(0, 3);
    assert.equal((await batch(records)).status, 200);
    assert.equal(served.writer.depth, 3);

    let answered = false;
    const second = batch(records).then((response) => ((answered = true), response));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false, 'half full: the batch waits');

    const flushed = served.writer.flush();
    while (inserts.length === 0) await new Promise((resolve) => setImmediate(resolve));
    inserts.shift()!();
    await flushed;
    assert.equal((await second).status, 200);
    assert.equal(served.writer.depth, 3, "the second batch's rows, queued once there was room");
    assert.equal(served.writer.dropped, 0);
  });
});
