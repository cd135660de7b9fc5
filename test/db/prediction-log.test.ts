import assert from 'node:assert/strict';
import { createPredictionLog, type PredictionRecord } from '../../db';
import { engines, registryFixture, type RegistryFixture, type TestEngine } from './engines';

// The prediction log's monitoring reads, on SQLite and PostgreSQL.
for (const spec of engines) {
  describe(`prediction log reads on ${spec.name}`, function () {
    let engine: TestEngine;
    let fixture: RegistryFixture;
    before(async function () {
      this.timeout(60_000);
      engine = await spec.start();
    });
    after(() => engine?.close());
    beforeEach(async () => (fixture = await registryFixture(engine)));
    afterEach(() => fixture.destroy());

    const record = (requestId: string, second: number, overrides: Partial<PredictionRecord> = {}): PredictionRecord => ({
      requestId,
      item: 0,
      modelName: 'churn',
      modelVersion: 1,
      inputs: { tenure: second, Contract: 'Two year' },
      probability: second / 100,
      prediction: second >= 50 ? 'Yes' : 'No',
      latencyMs: 1.5,
      createdAt: new Date(Date.UTC(2026, 10, 23, 12, 0, second)).toISOString(),
      ...overrides,
    });

    it('reads the newest inputs of one model version, newest first', async () => {
      const log = createPredictionLog(fixture.db);
      await log.insertPredictions([
        record('a', 10),
        record('b', 30),
        record('c', 20),
        record('d', 40, { modelVersion: 2 }),
        record('e', 50, { modelName: 'other' }),
      ]);
      assert.deepEqual(await log.recentInputs('churn', 1, 2), [
        { inputs: { tenure: 30, Contract: 'Two year' }, probability: 0.3 },
        { inputs: { tenure: 20, Contract: 'Two year' }, probability: 0.2 },
      ]);
      assert.equal((await log.recentInputs('churn', 1, 100)).length, 3);
      assert.deepEqual(await log.recentInputs('churn', 3, 100), []);
    });

    it('reads a model\'s predictions since a time, newest first, at most a limit', async () => {
      const log = createPredictionLog(fixture.db);
      await log.insertPredictions([record('a', 10), record('b', 30, { item: 1, latencyMs: 4.25 }), record('c', 20), record('e', 50, { modelName: 'other' })]);
      const since = new Date(Date.UTC(2026, 10, 23, 12, 0, 20)).toISOString();
      assert.deepEqual(await log.predictionsSince('churn', since, 10), [
        { requestId: 'b', item: 1, modelVersion: 1, probability: 0.3, prediction: 'No', latencyMs: 4.25, createdAt: '2026-11-23T12:00:30.000Z' },
        { requestId: 'c', item: 0, modelVersion: 1, probability: 0.2, prediction: 'No', latencyMs: 1.5, createdAt: '2026-11-23T12:00:20.000Z' },
      ]);
      assert.equal((await log.predictionsSince('churn', since, 1)).length, 1);
    });

    it('counts labelled and correct predictions per model version', async () => {
      const log = createPredictionLog(fixture.db);
      await log.insertPredictions([record('a', 60), record('b', 10), record('c', 70), record('d', 80, { modelVersion: 2 }), record('e', 90)]);
      await log.recordFeedback({ requestId: 'a', label: 'Yes' });
      await log.recordFeedback({ requestId: 'b', label: 'Yes' });
      await log.recordFeedback({ requestId: 'c', label: 'Yes' });
      await log.recordFeedback({ requestId: 'd', label: 'No' });
      assert.deepEqual(await log.feedbackAccuracy('churn'), [
        { modelVersion: 1, labelled: 3, correct: 2 },
        { modelVersion: 2, labelled: 1, correct: 0 },
      ]);
      assert.deepEqual(await log.feedbackAccuracy('other'), []);
    });
  });
}
