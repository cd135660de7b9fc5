import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { Booster, DMatrix, DisposedError, XGBoostError, parseEvalLine, train, xgboostVersion, type XGBoostParams } from '../../models/xgboost';
import { auc, binaryData } from './synthetic';

const PARAMS = { objective: 'binary:logistic', max_depth: 3, eta: 0.3, nthread: 2, seed: 7, tree_method: 'hist' } satisfies XGBoostParams;

function matrices() {
  const tr = binaryData(2000, 6, 1);
  const va = binaryData(500, 6, 2);
  const dtrain = DMatrix.fromDense(tr.data, tr.rows, tr.cols, { labels: tr.labels });
  const dvalid = DMatrix.fromDense(va.data, va.rows, va.cols, { labels: va.labels });
  return { dtrain, dvalid, validLabels: va.labels };
}

describe('xgboost binding', () => {
  it('reports libxgboost 1.7.x', () => {
    const v = xgboostVersion();
    assert.equal(v.major, 1);
    assert.equal(v.minor, 7);
    assert.ok(Number.isInteger(v.patch));
  });

  it('trains binary:logistic on data with NaNs and records the eval metrics', () => {
    const { dtrain, dvalid, validLabels } = matrices();
    const { booster, history, bestIteration } = train({
      params: { ...PARAMS, eval_metric: ['logloss', 'auc'] },
      dtrain,
      rounds: 30,
      evals: [['train', dtrain], ['valid', dvalid]],
    });
    assert.equal(history.length, 30);
    assert.equal(bestIteration, 29);
    assert.deepEqual(Object.keys(history[0]!), ['train', 'valid']);
    assert.deepEqual(Object.keys(history[0]!.valid!), ['logloss', 'auc']);
    assert.ok(history[29]!.train!.logloss! < history[0]!.train!.logloss!);
    assert.ok(history[29]!.valid!.auc! > 0.9, `valid auc ${history[29]!.valid!.auc}`);
    const p = booster.predict(dvalid);
    assert.equal(p.length, dvalid.rows);
    assert.ok(p.every((x) => x > 0 && x < 1));
    assert.ok(auc(p, validLabels) > 0.9);
    // XGBoost's own AUC and ours agree on the same predictions
    assert.ok(Math.abs(auc(p, validLabels) - history[29]!.valid!.auc!) < 1e-4);
    assert.equal(booster.numFeatures(), 6);
    assert.equal(booster.boostedRounds(), 30);
    const margin = booster.predict(dvalid, { outputMargin: true });
    assert.ok(Math.abs(1 / (1 + Math.exp(-margin[0]!)) - p[0]!) < 1e-6);
    const firstTen = booster.predict(dvalid, { iterationRange: [0, 10] });
    assert.notDeepEqual(firstTen, p);
    booster.dispose();
    dtrain.dispose();
    dvalid.dispose();
  });

  for (const format of ['json', 'ubj'] as const) {
    it(`round-trips a ${format} model bit-identically`, () => {
      const { dtrain, dvalid } = matrices();
      using _t = dtrain;
      using _v = dvalid;
      using booster = train({ params: PARAMS, dtrain, rounds: 20 }).booster;
      const bytes = booster.save(format);
      if (format === 'json') assert.equal(JSON.parse(bytes.toString('utf8')).learner.gradient_booster.name, 'gbtree');
      else assert.equal(bytes[0], '{'.charCodeAt(0));
      using loaded = Booster.fromBuffer(bytes);
      const a = booster.predict(dvalid);
      const b = loaded.predict(dvalid);
      assert.deepEqual(Buffer.from(b.buffer), Buffer.from(a.buffer));
      assert.deepEqual(loaded.save(format), bytes);
      assert.equal(loaded.boostedRounds(), 20);
    });
  }

  it('throws InputError naming a bad parameter before the C call', () => {
    const { dtrain } = matrices();
    using _t = dtrain;
    assert.throws(
      () => train({ params: { ...PARAMS, max_depth: -3 }, dtrain, rounds: 2 }),
      (e: unknown) => e instanceof InputError && /max_depth: must be an integer ≥ 0, got -3/.test(e.message),
    );
  });

  it('throws XGBoostError with XGBoost\'s message for params XGBoost refuses in training', () => {
    const { dtrain } = matrices();
    using _t = dtrain;
    assert.throws(
      () => train({ params: { ...PARAMS, tree_method: 'exact', max_depth: 0 }, dtrain, rounds: 2 }),
      (e: unknown) =>
        e instanceof XGBoostError &&
        e.call === 'XGBoosterUpdateOneIter' &&
        /exact tree method doesn't support unlimited depth/.test(e.message) &&
        e.message.includes('XGBoosterUpdateOneIter'),
    );
  });

  it('rejects corrupt model bytes with XGBoostError', () => {
    assert.throws(() => Booster.fromBuffer(Buffer.from('{"learner": 42')), XGBoostError);
    assert.throws(() => Booster.fromBuffer(new Uint8Array(0)), TypeError);
  });

  it('validates shapes and labels before the C call', () => {
    const data = new Float32Array(10);
    assert.throws(() => DMatrix.fromDense(data, 3, 3), (e: unknown) => e instanceof RangeError && /10 values, expected rows\*cols = 3\*3 = 9/.test(e.message));
    assert.throws(() => DMatrix.fromDense(data, 0, 10), /rows must be a positive integer/);
    assert.throws(() => DMatrix.fromDense(data, 10, 1, { labels: new Float32Array(9) }), /labels has 9 values, expected one per row \(10\)/);
    const nanLabels = new Float32Array(10);
    nanLabels[4] = Number.NaN;
    assert.throws(() => DMatrix.fromDense(data, 10, 1, { labels: nanLabels }), /labels\[4\] is NaN/);
    assert.throws(() => DMatrix.fromDense(data, 10, 1, { weights: new Float32Array(10).fill(-1) }), /weights must be >= 0/);
    using d = DMatrix.fromDense(data, 5, 2);
    assert.equal(d.rows, 5);
    assert.equal(d.cols, 2);
    assert.throws(() => d.setLabels(new Float32Array(4)), RangeError);
  });

  it('throws a clear error when a disposed object is used', () => {
    const { dtrain, dvalid } = matrices();
    const booster = train({ params: PARAMS, dtrain, rounds: 2 }).booster;
    dvalid.dispose();
    dvalid.dispose(); // idempotent
    assert.throws(() => booster.predict(dvalid), (e: unknown) => e instanceof DisposedError && /DMatrix has been disposed/.test(e.message));
    assert.throws(() => dvalid.setLabels(new Float32Array(dvalid.rows)), DisposedError);
    booster.dispose();
    assert.throws(() => booster.predict(dtrain), /Booster has been disposed/);
    assert.throws(() => booster.save(), DisposedError);
    assert.throws(() => booster.updateOneIter(3, dtrain), DisposedError);
    dtrain.dispose();
  });

  it('stops early on the last metric of the last eval set and reports the best iteration', () => {
    const { dtrain, dvalid } = matrices();
    using _t = dtrain;
    using _v = dvalid;
    const result = train({
      params: { ...PARAMS, eta: 0.8, max_depth: 6, eval_metric: ['auc', 'logloss'] },
      dtrain,
      rounds: 500,
      evals: [['train', dtrain], ['valid', dvalid]],
      earlyStoppingRounds: 5,
    });
    using booster = result.booster;
    const losses = result.history.map((h) => h.valid!.logloss!);
    assert.ok(result.history.length < 500, 'stopped early');
    assert.equal(result.history.length, result.bestIteration + 6);
    assert.equal(result.bestScore, Math.min(...losses));
    assert.equal(losses.indexOf(Math.min(...losses)), result.bestIteration);
    assert.equal(booster.getAttr('best_iteration'), String(result.bestIteration));
    assert.equal(booster.boostedRounds(), result.history.length);
  });

  it('maximises auc when it is the last metric', () => {
    const { dtrain, dvalid } = matrices();
    using _t = dtrain;
    using _v = dvalid;
    const result = train({
      params: { ...PARAMS, eta: 0.8, max_depth: 6, eval_metric: ['logloss', 'auc'] },
      dtrain, rounds: 300, evals: [['valid', dvalid]], earlyStoppingRounds: 5,
    });
    using _b = result.booster;
    const aucs = result.history.map((h) => h.valid!.auc!);
    assert.equal(result.bestScore, Math.max(...aucs));
    assert.equal(aucs.indexOf(Math.max(...aucs)), result.bestIteration);
  });

  it('lets the per-round callback stop training', () => {
    const { dtrain } = matrices();
    using _t = dtrain;
    const seen: number[] = [];
    using booster = train({
      params: PARAMS, dtrain, rounds: 50, evals: [['train', dtrain]],
      onRound: (round, scores) => {
        assert.ok(scores.train!.logloss! > 0);
        seen.push(round);
        return round === 3;
      },
    }).booster;
    assert.deepEqual(seen, [0, 1, 2, 3]);
    assert.equal(booster.boostedRounds(), 4);
  });

  it('parses eval lines with dashes in set and metric names', () => {
    assert.deepEqual(parseEvalLine('[3]\ttrain-logloss:0.5\tmy-valid-ndcg@3-:0.25\tmy-valid-error@0.7:0.125', ['train', 'my-valid']), {
      train: { logloss: 0.5 },
      'my-valid': { 'ndcg@3-': 0.25, 'error@0.7': 0.125 },
    });
  });
});
