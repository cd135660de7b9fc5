import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  Booster, checkForest, DMatrix, Forest, NATIVE_FOREST_LIBRARY, NativeForest, NativeForestUnavailableError, train, UnsupportedModelError,
  type XGBoostParams,
} from '../../models/xgboost';
import { assertReproduces, assertSameValues, COLS, MODELS, TEST, trainOn } from './forest-models';
import { binaryData } from './synthetic';

/** Float32 bytes, for "the same bytes" comparisons. */
const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describe('NativeForest: XGBoost 1.7 prediction in C, checked against libxgboost', () => {
  it('is built by scripts/setup.sh', () => {
    assert.ok(existsSync(NATIVE_FOREST_LIBRARY), `${NATIVE_FOREST_LIBRARY} is missing: run scripts/setup.sh`);
  });

  for (const { name, params, rounds, labels } of MODELS) {
    it(`reproduces ${name}`, () => {
      using booster = trainOn(params, rounds, labels);
      const native = NativeForest.fromModel(booster.save('json'));
      assert.equal(native.rounds, rounds);
      assertReproduces(booster, native);
      assertReproduces(booster, native, [0, Math.ceil(rounds / 3)]);
      assertReproduces(booster, native, [Math.floor(rounds / 2), rounds]);
      assert.deepEqual(checkForest(native, booster), { agrees: true, rows: 250 });
    });
  }

  describe('on a model trained on 100,000 rows', () => {
    const ROWS = 100_000;
    const WIDE = 30;
    const train100k = binaryData(ROWS, WIDE, 11, 0.05);
    const held = binaryData(ROWS, WIDE, 12, 0.1);
    let booster: Booster;
    let native: NativeForest;
    before(() => {
      using dtrain = DMatrix.fromDense(train100k.data, ROWS, WIDE, { labels: train100k.labels, nthread: 2 });
      booster = train({ params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 8, eta: 0.1, nthread: 2, seed: 3 }, dtrain, rounds: 60 }).booster;
      native = NativeForest.fromModel(booster.save('json'));
    });
    after(() => booster.dispose());

    it('predicts 100,000 held-out rows bit-identically, margins and probabilities', () => {
      for (const outputMargin of [true, false]) {
        const expected = booster.inplacePredict(held.data, ROWS, WIDE, { outputMargin });
        assertSameValues(native.predict(held.data, ROWS, WIDE, { outputMargin, nthread: 2 }), expected, outputMargin ? 'margin' : 'value');
      }
    });

    it('gives the same bytes on any number of threads', () => {
      const rows = 10_001; // blocks of 16 rows split unevenly, and a partial block at the end
      const data = held.data.subarray(0, rows * WIDE);
      const one = bytes(native.predict(data, rows, WIDE));
      for (const nthread of [2, 3, 7]) assert.ok(one.equals(bytes(native.predict(data, rows, WIDE, { nthread }))), `${nthread} threads`);
      // more threads than blocks of rows
      assert.ok(bytes(native.predict(data.subarray(0, 3 * WIDE), 3, WIDE, { nthread: 8 })).equals(one.subarray(0, 12)));
    });

    it('is exact for every batch size around its blocks of 16 rows, on views into a larger array', () => {
      for (const rows of [1, 2, 15, 16, 17, 31, 33]) {
        const data = held.data.subarray(5 * WIDE, (5 + rows) * WIDE);
        assertSameValues(native.predict(data, rows, WIDE), booster.inplacePredict(data, rows, WIDE), `${rows} rows`);
      }
    });
  });

  it('reproduces the best iteration after early stopping', () => {
    const valid = binaryData(800, COLS, 9, 0.15);
    using dtrain = DMatrix.fromDense(TEST.data, TEST.rows, COLS, { labels: TEST.labels });
    using dvalid = DMatrix.fromDense(valid.data, valid.rows, COLS, { labels: valid.labels });
    const result = train({ params: { objective: 'binary:logistic', eta: 0.9, max_depth: 6, nthread: 1 }, dtrain, evals: [['valid', dvalid]], rounds: 300, earlyStoppingRounds: 5 });
    using booster = result.booster;
    const native = NativeForest.fromModel(booster.save('json'));
    assert.equal(native.bestIteration, result.bestIteration);
    assertReproduces(booster, native, [0, native.bestIteration! + 1]);
  });

  it('checks its input with clear errors, before any C call', () => {
    using booster = trainOn({ objective: 'binary:logistic', max_depth: 2 }, 5);
    const native = NativeForest.fromModel(booster.save('json'));
    assert.throws(() => native.predict(new Float32Array(COLS - 1), 1, COLS - 1), /NativeForest.predict: data has 11 values, expected rows\*cols with 12 columns \(the model's features\)/);
    assert.throws(() => native.predict(new Float32Array(COLS * 2), 3, COLS), RangeError);
    assert.throws(() => native.predict(new Float32Array(0), 0, COLS), RangeError);
    assert.throws(() => native.predict(Array(COLS).fill(0) as unknown as Float32Array, 1, COLS), TypeError);
    assert.throws(() => native.predict(new Float64Array(COLS) as unknown as Float32Array, 1, COLS), TypeError);
    assert.throws(() => native.predict(new Float32Array(COLS), 1, COLS, { iterationRange: [0, 6] }), /end 6 is past the model's 5 rounds/);
    for (const nthread of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => native.predict(new Float32Array(COLS), 1, COLS, { nthread }), /nthread must be a positive integer/);
    }
  });

  it('says how to build it when the library is missing', () => {
    using booster = trainOn({ objective: 'binary:logistic', max_depth: 2 }, 2);
    const missing = '/nonexistent/libkiln-forest.so';
    assert.throws(
      () => NativeForest.fromModel(booster.save('json'), { library: missing }),
      (e: unknown) => e instanceof NativeForestUnavailableError && e.message.includes(missing) && /run scripts\/setup.sh/.test(e.message),
    );
  });

  it('refuses what it does not reproduce, saying why', () => {
    const refuses = (params: XGBoostParams, reason: RegExp) => {
      using booster = trainOn(params, 2);
      assert.throws(() => NativeForest.fromModel(booster.save('json')), (e: unknown) => e instanceof UnsupportedModelError && reason.test(e.message));
    };
    refuses({ booster: 'dart', objective: 'binary:logistic' }, /booster dart is not evaluated/);
    refuses({ booster: 'gblinear', objective: 'binary:logistic' }, /booster gblinear is not evaluated/);
    refuses({ objective: 'binary:hinge' }, /objective binary:hinge is not evaluated/);
  });

  describe('crafted trees', () => {
    /** A depth-1 model's JSON with its first tree replaced by `tree` (the fields the evaluators read). */
    const craft = (tree: { left: number[]; right: number[]; feature: number[]; split: number[]; defaultLeft: number[] }) => {
      using booster = trainOn({ objective: 'binary:logistic', max_depth: 1 }, 1);
      const doc = JSON.parse(booster.save('json').toString('utf8'));
      Object.assign(doc.learner.gradient_booster.model.trees[0], {
        left_children: tree.left, right_children: tree.right, split_indices: tree.feature, split_conditions: tree.split, default_left: tree.defaultLeft,
      });
      return JSON.stringify(doc);
    };

    it('refuses trees too deep to lay out complete', () => {
      // a chain of 30 splits: 2^31 nodes as a complete tree
      const depth = 30;
      const left = Array.from({ length: 2 * depth + 1 }, (_, n) => (n % 2 === 0 && n < 2 * depth ? n + 1 : -1));
      const right = left.map((l) => (l === -1 ? -1 : l + 1));
      const json = craft({ left, right, feature: left.map(() => 0), split: left.map((_, n) => n), defaultLeft: left.map(() => 0) });
      assert.throws(() => NativeForest.fromModel(json), (e: unknown) => e instanceof UnsupportedModelError && /1 trees of depth 30 take \d+ MiB as complete trees, over the native evaluator's 64 MiB/.test(e.message));
    });

    it('refuses a split at -Infinity with missing values going left, and evaluates one going right as Forest does', () => {
      // -3.5e38 is past float32's range: it becomes -Infinity, as XGBoost holds it
      const tree = (defaultLeft: number) => craft({ left: [1, -1, -1], right: [2, -1, -1], feature: [3, 0, 0], split: [-3.5e38, -1.5, 2.5], defaultLeft: [defaultLeft, 0, 0] });
      assert.throws(() => NativeForest.fromModel(tree(1)), /split condition of -Infinity with missing values going left/);
      const json = tree(0);
      const rows = new Float32Array([0, 0, 0, Number.NaN, 0, 0, 0, Number.NEGATIVE_INFINITY, 0, 0, 0, 5]);
      const padded = new Float32Array(3 * COLS);
      for (let r = 0; r < 3; r++) padded.set(rows.subarray(4 * r, 4 * r + 4), r * COLS);
      assertSameValues(NativeForest.fromModel(json).predict(padded, 3, COLS, { outputMargin: true }), Forest.fromModel(json).predict(padded, 3, COLS, { outputMargin: true }), 'margin');
    });

    it('refuses a split on a feature past the model\'s', () => {
      const json = craft({ left: [1, -1, -1], right: [2, -1, -1], feature: [COLS, 0, 0], split: [0.5, -1.5, 2.5], defaultLeft: [1, 0, 0] });
      assert.throws(() => NativeForest.fromModel(json), /tree 0 splits on feature 12, past the model's 12/);
    });
  });
});
