import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { predictionLogThreadFor } from '../../api/prediction-log-thread';
import { PredictionLogWriter } from '../../api/prediction-log-writer';
import { connectDatabase, createPredictionLog, migrateToLatest, type PredictionRecord } from '../../db';
import { encodePrediction } from '../../db/prediction-log';

describe('PredictionLogThread', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-log-thread-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const record = (requestId: string, item = 0): PredictionRecord => ({
    requestId, item, modelName: 'churn', modelVersion: 1, inputs: { tenure: 3 }, probability: 0.25, prediction: 'No', latencyMs: 1, createdAt: new Date().toISOString(),
  });

  it('writes from its own thread, skipping rows already logged, and closes after the last insert', async () => {
    const db = connectDatabase(`sqlite:${path.join(tmp, 'kiln.sqlite')}`);
    await migrateToLatest(db);
    const thread = predictionLogThreadFor(db)!;
    const insert = (...records: PredictionRecord[]) => thread.insertEncodedPredictions(records.map(encodePrediction));
    await insert(record('a'), record('a', 1));
    await Promise.all([insert(record('b'), record('a')), insert(record('c'))]);
    await thread.close();
    assert.deepEqual((await db('predictions').orderBy('id').select('request_id', 'item')).map((r) => `${r.request_id}/${r.item}`), ['a/0', 'a/1', 'b/0', 'c/0']);
    // A closed thread starts again when used.
    await insert(record('d'));
    await thread.close();
    assert.equal(await createPredictionLog(db).countPredictions(), 5);
    await db.destroy();
  });

  it('is what the writer flushes through, losing nothing at close', async () => {
    const db = connectDatabase(`sqlite:${path.join(tmp, 'kiln.sqlite')}`);
    await migrateToLatest(db);
    const thread = predictionLogThreadFor(db)!;
    const writer = new PredictionLogWriter({ log: thread, logger: pino({ level: 'silent' }), batchSize: 7 });
    for (let i = 0; i < 100; i++) writer.enqueue([record(`r${i}`)]);
    await writer.close();
    await thread.close();
    assert.equal(await createPredictionLog(db).countPredictions(), 100);
    assert.equal(writer.dropped, 0);
    await db.destroy();
  });

  it('is not used for PostgreSQL or an in-memory SQLite database', async () => {
    const memory = connectDatabase('sqlite::memory:');
    assert.equal(predictionLogThreadFor(memory), undefined);
    await memory.destroy();
    const postgres = connectDatabase('postgres://kiln@127.0.0.1:1/kiln');
    assert.equal(predictionLogThreadFor(postgres), undefined);
    await postgres.destroy();
  });
});
