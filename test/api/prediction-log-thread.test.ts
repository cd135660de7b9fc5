import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { predictionLogThreadFor } from '../../api/prediction-log-thread';
import { PredictionLogWriter } from '../../api/prediction-log-writer';
import { connectDatabase, createPredictionLog, migrateToLatest, type RequestLog } from '../../db';

describe('PredictionLogThread', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-log-thread-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const common = { modelName: 'churn', modelVersion: 1, latencyMs: 1, createdAt: new Date().toISOString() };
  /** A single-record request: its body is the record. */
  const single = (requestId: string): RequestLog => ({ ...common, requestId, inputsJson: '{"tenure":3}', probabilities: [0.25], predictions: ['No'] });
  /** A batch request whose second record was invalid (not logged). */
  const batch = (requestId: string): RequestLog => ({
    ...common, requestId, inputsJson: '[{"tenure":1}, {"tenure":"x"}, {"tenure":5,"id":"c-7"}]', items: [0, 2], probabilities: [0.5, 0.75], predictions: ['Yes', 'Yes'],
  });

  it('turns request logs into rows on its own thread, skipping rows already logged, and closes after the last insert', async () => {
    const db = connectDatabase(`sqlite:${path.join(tmp, 'kiln.sqlite')}`);
    await migrateToLatest(db);
    const thread = predictionLogThreadFor(db)!;
    const insert = (...logs: RequestLog[]) => thread.insertRequestLogs(logs);
    await insert(batch('a'));
    await Promise.all([insert(single('b'), batch('a')), insert(single('c'))]);
    await thread.close();
    const rows = await db('predictions').orderBy('id').select('request_id', 'item', 'inputs_json', 'probability', 'prediction');
    assert.deepEqual(rows.map((r) => [`${r.request_id}/${r.item}`, JSON.parse(r.inputs_json), r.probability, r.prediction]), [
      ['a/0', { tenure: 1 }, 0.5, 'Yes'],
      ['a/2', { tenure: 5, id: 'c-7' }, 0.75, 'Yes'],
      ['b/0', { tenure: 3 }, 0.25, 'No'],
      ['c/0', { tenure: 3 }, 0.25, 'No'],
    ]);
    // A closed thread starts again when used.
    await insert(single('d'));
    await thread.close();
    assert.equal(await createPredictionLog(db).countPredictions(), 5);
    await db.destroy();
  });

  it('is what the writer flushes through, losing nothing at close', async () => {
    const db = connectDatabase(`sqlite:${path.join(tmp, 'kiln.sqlite')}`);
    await migrateToLatest(db);
    const thread = predictionLogThreadFor(db)!;
    const writer = new PredictionLogWriter({ log: thread, logger: pino({ level: 'silent' }), batchSize: 7 });
    for (let i = 0; i < 100; i++) writer.enqueue(single(`r${i}`));
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
