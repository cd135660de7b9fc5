import assert from 'node:assert/strict';
import { Booster, checkForest, DMatrix, Forest, train, UnsupportedModelError, type XGBoostParams } from '../../models/xgboost';
import { assertReproduces, COLS, MODELS, TRAIN, trainOn } from './forest-models';
import { binaryData } from './synthetic';

describe('Forest: XGBoost 1.7 prediction in TypeScript, checked against libxgboost', () => {
  for (const { name, params, rounds, labels } of MODELS) {
    it(`reproduces ${name}`, () => {
      using booster = trainOn(params, rounds, labels);
      const forest = Forest.fromModel(booster.save('json'));
      assert.equal(forest.rounds, rounds);
      assertReproduces(booster, forest);
      assertReproduces(booster, forest, [0, Math.ceil(rounds / 3)]);
      assertReproduces(booster, forest, [Math.floor(rounds / 2), rounds]);
      assert.deepEqual(checkForest(forest, booster), { agrees: true, rows: 250 });
    });
  }

  it('reproduces the best iteration after early stopping, and a model loaded from bytes', () => {
    const valid = binaryData(800, COLS, 9, 0.15);
    using dtrain = DMatrix.fromDense(TRAIN.data, TRAIN.rows, COLS, { labels: TRAIN.labels });
    using dvalid = DMatrix.fromDense(valid.data, valid.rows, COLS, { labels: valid.labels });
    const result = train({ params: { objective: 'binary:logistic', eta: 0.9, max_depth: 6, nthread: 1 }, dtrain, evals: [['valid', dvalid]], rounds: 300, earlyStoppingRounds: 5 });
    using booster = result.booster;
    using loaded = Booster.fromBuffer(booster.save('ubj'));
    const forest = Forest.fromModel(loaded.save('json'));
    assert.equal(forest.bestIteration, result.bestIteration);
    assert.ok(forest.rounds > result.bestIteration + 1);
    assertReproduces(loaded, forest, [0, forest.bestIteration! + 1]);
  });

  it('clamps the sigmoid as 1.7 does for margins below -88.7 (crafted leaves)', () => {
    using base = trainOn({ objective: 'binary:logistic', max_depth: 1 }, 1);
    const json = base.save('json').toString('utf8');
    for (const leaf of [-88.6, -88.7, -88.75, -104.5, 100.5, -17.5]) {
      // one depth-1 tree: both leaves set to `leaf`
      const crafted = json.replace(/"split_conditions":\[([^,\]]+),[^\]]*\]/, `"split_conditions":[$1,${leaf.toExponential()},${leaf.toExponential()}]`);
      using booster = Booster.fromBuffer(Buffer.from(crafted));
      const row = new Float32Array(COLS);
      const expected = booster.inplacePredict(row, 1, COLS)[0]!;
      assert.equal(Forest.fromModel(crafted).predict(row, 1, COLS)[0], expected, `leaf ${leaf}`);
    }
  });

  it('refuses what it does not reproduce, saying why', () => {
    const refuses = (params: XGBoostParams, reason: RegExp) => {
      using booster = trainOn(params, 2);
      assert.throws(() => Forest.fromModel(booster.save('json')), (e: unknown) => e instanceof UnsupportedModelError && reason.test(e.message));
    };
    refuses({ booster: 'dart', objective: 'binary:logistic' }, /booster dart is not evaluated \(only gbtree\)/);
    refuses({ booster: 'gblinear', objective: 'binary:logistic' }, /booster gblinear is not evaluated/);
    refuses({ objective: 'multi:softmax', num_class: 2 }, /objective multi:softmax is not evaluated/);
    refuses({ objective: 'binary:hinge' }, /objective binary:hinge is not evaluated/);
    using booster = trainOn({ objective: 'binary:logistic' }, 2);
    assert.throws(() => Forest.fromModel(booster.save('ubj')), /not standard JSON/);
    const json = booster.save('json').toString('utf8');
    assert.throws(() => Forest.fromModel(json.replace('"version":[1,7,4]', '"version":[2,0,3]')), /XGBoost 2.0.3; the evaluator reproduces 1.7/);
    assert.throws(() => Forest.fromModel('{"version":[1,7,4],"learner":{"gradient_booster":{"name":"gbtree"},"objective":{"name":"binary:logistic"}}}'), /model JSON is not an XGBoost model/);
  });

  it('refuses categorical splits', () => {
    const rows = 400;
    const data = new Float32Array(rows * 2);
    const labels = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      data[r * 2] = r % 5;
      data[r * 2 + 1] = r / rows;
      labels[r] = r % 5 === 2 || r % 5 === 4 ? 1 : 0;
    }
    using dtrain = DMatrix.fromDense(data, rows, 2, { labels, featureTypes: ['c', 'q'] });
    using booster = train({ params: { objective: 'binary:logistic', tree_method: 'hist', max_cat_to_onehot: 1, nthread: 1 }, dtrain, rounds: 3 }).booster;
    assert.throws(() => Forest.fromModel(booster.save('json')), UnsupportedModelError);
  });

  it('checks its input', () => {
    using booster = trainOn({ objective: 'binary:logistic', max_depth: 2 }, 5);
    const forest = Forest.fromModel(booster.save('json'));
    assert.throws(() => forest.predict(new Float32Array(COLS - 1), 1, COLS - 1), /with 12 columns \(the model's features\)/);
    assert.throws(() => forest.predict(new Float32Array(COLS * 2), 3, COLS), RangeError);
    assert.throws(() => forest.predict(Array(COLS).fill(0) as unknown as Float32Array, 1, COLS), TypeError);
    assert.throws(() => forest.predict(new Float32Array(COLS), 1, COLS, { iterationRange: [0, 6] }), /end 6 is past the model's 5 rounds/);
    assert.throws(() => forest.predict(new Float32Array(COLS), 1, COLS, { iterationRange: [3, 2] }), /iterationRange/);
  });

  it('checkForest notices a forest that predicts something else', () => {
    using booster = trainOn({ objective: 'binary:logistic', max_depth: 3 }, 20);
    using other = trainOn({ objective: 'binary:logistic', max_depth: 3, seed: 2, subsample: 0.5 }, 20);
    const check = checkForest(Forest.fromModel(other.save('json')), booster);
    assert.equal(check.agrees, false);
    assert.match(check.difference!, /^margin \d+: libxgboost -?[0-9.e-]+, forest -?[0-9.e-]+$/);
  });
});
