import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { Booster, DMatrix, XGBoostError, train, trainInWorker, type XGBoostParams } from '../../models/xgboost';
import { binaryData } from './synthetic';

const PARAMS = { objective: 'binary:logistic', max_depth: 6, eta: 0.1, nthread: 2, seed: 3, eval_metric: 'logloss' } satisfies XGBoostParams;

/** Largest delay of a 5 ms interval timer while `work` runs. */
async function maxLagDuring<T>(work: () => Promise<T>): Promise<{ result: T; maxLag: number; ticks: number }> {
  let maxLag = 0;
  let ticks = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - last - 5);
    last = now;
    ticks++;
  }, 5);
  try {
    const result = await work();
    return { result, maxLag, ticks };
  } finally {
    clearInterval(timer);
  }
}

describe('xgboost trainInWorker', () => {
  const tr = binaryData(4000, 10, 21);
  const va = binaryData(1000, 10, 22);
  const dtrain = { data: tr.data, rows: tr.rows, cols: tr.cols, labels: tr.labels };
  const dvalid = { data: va.data, rows: va.rows, cols: va.cols, labels: va.labels };

  it('keeps event-loop lag under 50 ms during a 1000-round training', async () => {
    const small = binaryData(2000, 8, 23);
    const rounds: number[] = [];
    // nthread 1 leaves the second core to the event loop, as a serving process should
    const { result, maxLag, ticks } = await maxLagDuring(() =>
      trainInWorker({
        params: { ...PARAMS, max_depth: 4, nthread: 1 },
        dtrain: { data: small.data, rows: small.rows, cols: small.cols, labels: small.labels },
        rounds: 1000,
        onRound: (r) => void rounds.push(r),
      }),
    );
    assert.ok(maxLag < 50, `max event-loop lag ${maxLag.toFixed(1)} ms`);
    assert.ok(ticks > 10, `timer ticked ${ticks} times`);
    assert.equal(rounds.length, 1000);
    assert.equal(result.history.length, 1000);
    assert.equal(result.bestIteration, 999);
  });

  it('produces the same history and model as train() on the calling thread', async () => {
    const result = await trainInWorker({ params: PARAMS, dtrain, evals: [['valid', dvalid]], rounds: 40 });
    using d = DMatrix.fromDense(tr.data, tr.rows, tr.cols, { labels: tr.labels });
    using v = DMatrix.fromDense(va.data, va.rows, va.cols, { labels: va.labels });
    const local = train({ params: PARAMS, dtrain: d, evals: [['valid', v]], rounds: 40 });
    using booster = local.booster;
    assert.deepEqual(result.history, local.history);
    assert.deepEqual(result.model, booster.save('json'));
  });

  it('stops exactly when the main-thread callback says so, including async callbacks', async () => {
    const result = await trainInWorker({
      params: PARAMS, dtrain, evals: [['valid', dvalid]], rounds: 200,
      onRound: async (round, scores) => {
        assert.ok(scores.valid!.logloss! > 0);
        await new Promise((r) => setTimeout(r, 1));
        return round === 5;
      },
    });
    assert.equal(result.history.length, 6);
    using booster = Booster.fromBuffer(result.model);
    assert.equal(booster.boostedRounds(), 6);
  });

  it('supports early stopping and UBJ output', async () => {
    const result = await trainInWorker({
      params: { ...PARAMS, eta: 0.9 }, dtrain, evals: [['valid', dvalid]], rounds: 500, earlyStoppingRounds: 5, format: 'ubj',
    });
    assert.ok(result.history.length < 500);
    assert.equal(result.history.length, result.bestIteration + 6);
    assert.equal(result.model[0], '{'.charCodeAt(0));
    using booster = Booster.fromBuffer(result.model);
    assert.equal(booster.getAttr('best_iteration'), String(result.bestIteration));
  });

  it('rejects with XGBoostError carrying the C call and message', async () => {
    // valid alone, refused by XGBoost's exact updater: the error crosses the thread intact
    await assert.rejects(
      trainInWorker({ params: { ...PARAMS, tree_method: 'exact', max_depth: 0 }, dtrain, rounds: 3 }),
      (e: unknown) => e instanceof XGBoostError && e.call === 'XGBoosterUpdateOneIter' && /exact tree method doesn't support unlimited depth/.test(e.message),
    );
    await assert.rejects(trainInWorker({ params: PARAMS, dtrain: { ...dtrain, rows: 7 }, rounds: 3 }), RangeError);
  });

  it('rejects bad params with InputError before starting a worker', async () => {
    await assert.rejects(
      trainInWorker({ params: { ...PARAMS, max_depth: -3 }, dtrain, rounds: 3 }),
      (e: unknown) => e instanceof InputError && /max_depth: must be an integer ≥ 0, got -3/.test(e.message),
    );
  });

  it('aborts through an AbortSignal and rejects when the callback throws', async () => {
    const controller = new AbortController();
    const aborted = trainInWorker({ params: PARAMS, dtrain, rounds: 100000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
    await assert.rejects(aborted, /cancelled by test/);
    await assert.rejects(
      trainInWorker({ params: PARAMS, dtrain, rounds: 50, onRound: () => { throw new Error('boom'); } }),
      /boom/,
    );
  });
});
