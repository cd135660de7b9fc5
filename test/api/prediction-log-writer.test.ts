import assert from 'node:assert/strict';
import pino from 'pino';
import { PredictionLogWriter } from '../../api/prediction-log-writer';
import type { PredictionRecord } from '../../db';

const record = (item: number): PredictionRecord => ({
  requestId: 'r', item, modelName: 'm', modelVersion: 1, inputs: {}, probability: 0.5, prediction: 'Yes', latencyMs: 1, createdAt: new Date(0).toISOString(),
});

describe('PredictionLogWriter', () => {
  const logger = pino({ level: 'silent' });

  it('writes in batches and keeps rows through a database outage', async () => {
    const written: number[] = [];
    let down = true;
    const writer = new PredictionLogWriter({
      logger,
      batchSize: 4,
      log: { insertPredictions: async (rows) => { if (down) throw new Error('connection refused'); written.push(...rows.map((r) => r.item)); } },
    });
    writer.enqueue([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(record));
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
    const writer = new PredictionLogWriter({ logger, maxQueue: 5, log: { insertPredictions: async () => { throw new Error('down'); } } });
    writer.enqueue([0, 1, 2].map(record));
    writer.enqueue([3, 4, 5, 6].map(record));
    assert.equal(writer.depth, 5);
    assert.equal(writer.dropped, 2);
    await writer.close(2);
    assert.equal(writer.depth, 0);
    assert.equal(writer.dropped, 7);
  });

  it('flushes everything on close', async () => {
    const written: number[] = [];
    const writer = new PredictionLogWriter({ logger, log: { insertPredictions: async (rows) => void written.push(...rows.map((r) => r.item)) } });
    writer.start();
    writer.enqueue([0, 1].map(record));
    await writer.close();
    assert.deepEqual(written, [0, 1]);
  });
});
