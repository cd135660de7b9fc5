import assert from 'node:assert/strict';
import pino from 'pino';
import { PredictionLogWriter } from '../../api/prediction-log-writer';
import type { RequestLog } from '../../db';

/** A request whose rows are `items` of its (unread) body array. */
const request = (items: number[]): RequestLog => ({
  requestId: 'r', modelName: 'm', modelVersion: 1, latencyMs: 1, createdAt: new Date(0).toISOString(),
  inputsJson: '[]', items, probabilities: items.map((item) => item / 100), predictions: items.map(() => 'Yes'),
});

/** Queues one single-row request per item. */
const enqueueEach = (writer: PredictionLogWriter, items: number[]) => items.forEach((item) => writer.enqueue(request([item])));

/** The `item` of each row written. */
const items = (logs: readonly RequestLog[]) => logs.flatMap((log) => log.items!);

describe('PredictionLogWriter', () => {
  const logger = pino({ level: 'silent' });

  it('writes in batches and keeps rows through a database outage', async () => {
    const written: number[] = [];
    let down = true;
    const writer = new PredictionLogWriter({
      logger,
      batchSize: 4,
      log: { insertRequestLogs: async (rows) => { if (down) throw new Error('connection refused'); written.push(...items(rows)); } },
    });
    enqueueEach(writer, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await writer.flush();
    assert.equal(writer.depth, 10);
    assert.equal(writer.failures, 1);
    down = false;
    await writer.flush();
    assert.deepEqual(written, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(writer.depth, 0);
    assert.equal(writer.dropped, 0);
  });

  it('bounds the queue and counts what it drops, including at shutdown', async () => {
    const writer = new PredictionLogWriter({ logger, maxQueue: 5, log: { insertRequestLogs: async () => { throw new Error('down'); } } });
    writer.enqueue(request([0, 1, 2]));
    writer.enqueue(request([3, 4, 5, 6]));
    assert.equal(writer.depth, 5);
    assert.equal(writer.dropped, 2);
    await writer.close(2);
    assert.equal(writer.depth, 0);
    assert.equal(writer.dropped, 7);
  });

  it("counts rows, never splits a request's rows across inserts, and keeps the first rows of one that does not fit", async () => {
    const calls: RequestLog[][] = [];
    const writer = new PredictionLogWriter({ logger, maxQueue: 5, batchSize: 2, log: { insertRequestLogs: async (logs) => void calls.push([...logs]) } });
    writer.enqueue(request([0, 1, 2]));
    writer.enqueue(request([3, 4, 5, 6]));
    assert.equal(writer.depth, 5);
    assert.equal(writer.dropped, 2);
    await writer.flush();
    assert.deepEqual(calls.map(items), [[0, 1, 2], [3, 4]]);
    assert.deepEqual(calls[1]![0]!.probabilities, [0.03, 0.04]);
    assert.deepEqual(calls[1]![0]!.predictions, ['Yes', 'Yes']);
  });

  it('flushes everything on close', async () => {
    const written: number[] = [];
    const writer = new PredictionLogWriter({ logger, log: { insertRequestLogs: async (rows) => void written.push(...items(rows)) } });
    writer.start();
    writer.enqueue(request([0, 1]));
    await writer.close();
    assert.deepEqual(written, [0, 1]);
  });

  it('keeps two batches in flight, and after a failure keeps every row not confirmed in order', async () => {
    const calls: number[][] = [];
    let failFirst = true;
    const writer = new PredictionLogWriter({
      logger,
      batchSize: 2,
      log: {
        insertRequestLogs: async (rows) => {
          calls.push(items(rows));
          if (failFirst && calls.length === 1) throw new Error('busy');
        },
      },
    });
    enqueueEach(writer, [0, 1, 2, 3, 4]);
    await writer.flush();
    // The first two batches went out together; the first failed, so all five rows wait (the second batch's too).
    assert.deepEqual(calls, [[0, 1], [2, 3]]);
    assert.equal(writer.depth, 5);
    failFirst = false;
    await writer.flush();
    assert.deepEqual(calls.slice(2), [[0, 1], [2, 3], [4]]);
    assert.equal(writer.depth, 0);
  });

  it('writes as soon as a batch is full, without waiting for the timer', async () => {
    const written: number[] = [];
    const writer = new PredictionLogWriter({ logger, batchSize: 3, log: { insertRequestLogs: async (rows) => void written.push(...items(rows)) } });
    writer.enqueue(request([0, 1]));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(written, []);
    writer.enqueue(request([2]));
    await new Promise((resolve) => setImmediate(resolve));
    await writer.flush();
    assert.deepEqual(written, [0, 1, 2]);
  });

  it('paces producers while over half full, until the writes catch up, and never in an outage', async () => {
    let writes: Array<() => void> = [];
    let down = false;
    const writer = new PredictionLogWriter({
      logger,
      maxQueue: 10,
      batchSize: 2,
      log: { insertRequestLogs: () => (down ? Promise.reject(new Error('down')) : new Promise<void>((resolve) => writes.push(resolve))) },
    });
    enqueueEach(writer, [0, 1, 2, 3]);
    assert.equal(writer.room(), undefined);
    writer.enqueue(request([4]));
    const room = writer.room();
    assert.ok(room, 'half full: wait');
    let settled = false;
    void room.then(() => (settled = true));
    const flushed = writer.flush();
    writes.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writer.depth, 3);
    assert.ok(settled, 'settles once under half full');
    writes.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    writes.shift()!();
    await flushed;
    assert.equal(writer.depth, 0);

    // An outage: no waiting, and a pending wait settles at the failure; rows then drop past the bound.
    writer.enqueue(request([0, 1, 2, 3, 4]));
    const pending = writer.room()!;
    down = true;
    writes = [];
    await writer.flush();
    await pending;
    assert.equal(writer.room(), undefined);
    writer.enqueue(request([5, 6, 7, 8, 9, 10, 11]));
    assert.equal(writer.depth, 10);
    assert.equal(writer.dropped, 2);
  });

  it('stops pacing after maxPaceMs when the database neither writes nor fails', async () => {
    const writer = new PredictionLogWriter({ logger, maxQueue: 4, batchSize: 100, maxPaceMs: 20, log: { insertRequestLogs: () => new Promise<void>(() => {}) } });
    writer.enqueue(request([0, 1]));
    void writer.flush();
    const started = performance.now();
    await writer.room();
    assert.ok(performance.now() - started >= 15);
  });
});
