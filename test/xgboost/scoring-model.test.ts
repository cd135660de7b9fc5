import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { fitFeaturePipeline, FeaturePipeline, type InputColumn } from '../../models/features/feature-pipeline';
import { FOREST_MAX_ROWS, ScoringModel, type ScoringLogger } from '../../models/scoring-model';
import { DMatrix, train } from '../../models/xgboost';
import { churnRecords } from './synthetic';

const INPUTS: InputColumn[] = [
  { name: 'tenure', kind: 'numeric' },
  { name: 'MonthlyCharges', kind: 'numeric' },
  { name: 'Contract', kind: 'categorical' },
  { name: 'PaymentMethod', kind: 'categorical' },
];
const TARGET = { column: 'Churn', positive: 'Yes', negative: 'No' };

describe('ScoringModel', () => {
  const { records, labels } = churnRecords(1500, 3);
  const state = fitFeaturePipeline(records, INPUTS, TARGET);
  let model: ScoringModel;

  before(() => {
    const pipeline = new FeaturePipeline(state);
    using dtrain = DMatrix.fromDense(pipeline.transform(records), records.length, pipeline.featureCount, { labels });
    const { booster } = train({ params: { objective: 'binary:logistic', max_depth: 4, eta: 0.3, nthread: 2, seed: 1 }, dtrain, rounds: 30 });
    model = new ScoringModel(booster, state);
  });
  after(() => model.dispose());

  /** A logger that keeps what it is told. */
  const recorder = () => {
    const warnings: Array<{ details: Record<string, unknown>; message: string }> = [];
    const logger: ScoringLogger = { warn: (details, message) => warnings.push({ details, message }) };
    return { warnings, logger };
  };

  describe('predict', () => {
    /** Counts the calls to `evaluator.predict`. */
    const countCalls = (evaluator: { predict: (...args: never[]) => Float32Array }) => {
      const counter = { calls: 0 };
      const predict = evaluator.predict.bind(evaluator);
      evaluator.predict = (...args) => {
        counter.calls++;
        return predict(...args);
      };
      return counter;
    };

    it('scores every request with the native evaluator, identically to libxgboost', () => {
      const { warnings, logger } = recorder();
      using served = ScoringModel.fromBytes(model.booster.save('json'), state, { logger });
      assert.ok(served.nativeForest, 'a gbtree binary:logistic model gets the native evaluator');
      assert.equal(served.forest, undefined, 'the TypeScript forest is not needed beside it');
      assert.deepEqual(warnings, []);
      const native = countCalls(served.nativeForest);
      for (const count of [1, 15, 16, 17, 300]) {
        const batch = records.slice(0, count);
        const expected = model.booster.inplacePredict(model.pipeline.transform(batch), count, model.pipeline.featureCount);
        const before = native.calls;
        assert.deepEqual(served.predict(batch), expected, `${count} records`);
        assert.equal(native.calls - before, 1, `${count} records through the native evaluator`);
      }
    });

    it('without the native evaluator, scores small requests with the TypeScript forest and large ones with libxgboost, saying why once', () => {
      const { warnings, logger } = recorder();
      const missing = '/nonexistent/libkiln-forest.so';
      using served = ScoringModel.fromBytes(model.booster.save('json'), state, { logger, nativeForestLibrary: missing });
      assert.equal(served.nativeForest, undefined);
      assert.ok(served.forest, 'a gbtree binary:logistic model gets the forest');
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]!.message, 'native forest evaluator is not available; scoring small requests with the TypeScript forest and larger ones with libxgboost');
      assert.match(String(warnings[0]!.details.reason), /cannot load the native forest evaluator \/nonexistent\/libkiln-forest.so \(run scripts\/setup.sh/);
      const forest = countCalls(served.forest);
      for (const count of [1, FOREST_MAX_ROWS - 1, FOREST_MAX_ROWS, 300]) {
        const batch = records.slice(0, count);
        const expected = model.booster.inplacePredict(model.pipeline.transform(batch), count, model.pipeline.featureCount);
        const before = forest.calls;
        assert.deepEqual(served.predict(batch), expected, `${count} records`);
        assert.equal(forest.calls - before, count < FOREST_MAX_ROWS ? 1 : 0, `${count} records through the forest`);
      }
    });

    it('falls back to libxgboost, with a warning, when the forest evaluators disagree with it', () => {
      // Split conditions of 0.5 rewritten as a decimal just above the midpoint between 0.5 and the next
      // float32: libxgboost rounds it up, the forest (decimal → double → float32) to 0.5 — a one-ulp
      // difference in where one-hot features split, which the probe rows at load must catch.
      const next = new Float32Array(new Int32Array([new Int32Array(new Float32Array([0.5]).buffer)[0]! + 1]).buffer)[0]!;
      const aboveMidpoint = `${((0.5 + next) / 2).toPrecision(40)}1`;
      const json = model.booster.save('json').toString('utf8').replace(/(?<=[[,])5E-1(?=[,\]])/g, aboveMidpoint);
      const { warnings, logger } = recorder();
      using served = ScoringModel.fromBytes(Buffer.from(json), state, { logger });
      assert.equal(served.nativeForest, undefined);
      assert.equal(served.forest, undefined);
      assert.deepEqual(warnings.map((w) => w.message), [
        'native forest evaluator disagrees with libxgboost; scoring small requests with the TypeScript forest and larger ones with libxgboost',
        'forest evaluator disagrees with libxgboost; scoring with libxgboost',
      ]);
      for (const { details } of warnings) assert.match(String(details.difference), /^(margin|prediction) \d+: libxgboost/);
      const one = records.slice(0, 1);
      assert.deepEqual(served.predict(one), served.booster.inplacePredict(served.pipeline.transform(one), 1, served.pipeline.featureCount));
    });

    it('serves models the forest evaluators do not reproduce through libxgboost, saying why once', () => {
      const pipeline = new FeaturePipeline(state);
      using dtrain = DMatrix.fromDense(pipeline.transform(records), records.length, pipeline.featureCount, { labels });
      const { booster } = train({ params: { booster: 'dart', objective: 'binary:logistic', rate_drop: 0.1, nthread: 1 }, dtrain, rounds: 5 });
      const { warnings, logger } = recorder();
      using served = new ScoringModel(booster, state, { logger });
      assert.equal(served.nativeForest, undefined);
      assert.equal(served.forest, undefined);
      assert.deepEqual(warnings, [{ details: { reason: 'booster dart is not evaluated (only gbtree)' }, message: 'forest evaluator cannot reproduce this model; scoring with libxgboost' }]);
      assert.equal(served.predict(records.slice(0, 3)).length, 3);
    });
  });

  describe('explain', () => {
    const sample = records.slice(0, 50);

    it('sums SHAP values per raw column, and bias + all columns = the margin', () => {
      const explained = model.explain(sample, INPUTS.length);
      const features = model.pipeline.transform(sample);
      const margins = model.booster.inplacePredict(features, sample.length, model.pipeline.featureCount, { outputMargin: true });
      using dmat = DMatrix.fromDense(features, sample.length, model.pipeline.featureCount);
      const shap = model.booster.predict(dmat, { predContribs: true });
      const cols = model.pipeline.featureCount;
      explained.forEach((explanation, row) => {
        assert.equal(explanation.contributions.length, INPUTS.length);
        const total = explanation.bias + explanation.contributions.reduce((sum, c) => sum + c.contribution, 0);
        assert.ok(Math.abs(total - margins[row]!) < 1e-4, `row ${row}: ${total} vs margin ${margins[row]}`);
        assert.equal(explanation.bias, shap[row * (cols + 1) + cols]);
        for (const { column, contribution } of explanation.contributions) {
          let expected = 0;
          state.featureNames.forEach((name, feature) => {
            if (name === column || name.startsWith(`${column}=`)) expected += shap[row * (cols + 1) + feature]!;
          });
          assert.ok(Math.abs(contribution - expected) < 1e-6, `row ${row} ${column}: ${contribution} vs ${expected}`);
        }
      });
    });

    it('returns the top columns by absolute contribution, largest first', () => {
      const all = model.explain(sample, INPUTS.length);
      const top2 = model.explain(sample, 2);
      all.forEach((explanation, row) => {
        const sizes = explanation.contributions.map((c) => Math.abs(c.contribution));
        assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
        assert.deepEqual(top2[row]!.contributions, explanation.contributions.slice(0, 2));
      });
      assert.equal(model.explain(sample.slice(0, 1))[0]!.contributions.length, INPUTS.length, 'default top 5 keeps all 4 columns');
      // contract and tenure drive the synthetic label most, so one of them leads for most records
      const ledByDrivers = all.filter((e) => ['Contract', 'tenure'].includes(e.contributions[0]!.column)).length;
      assert.ok(ledByDrivers > sample.length / 2, `${ledByDrivers} of ${sample.length}`);
    });

    it('rejects a bad top and a bad record with InputError', () => {
      assert.deepEqual(model.explain([]), []);
      assert.throws(() => model.explain(sample, 0), (e: unknown) => e instanceof InputError && /top: must be a positive integer, got 0/.test(e.message));
      assert.throws(() => model.explain(sample, 1.5), InputError);
      assert.throws(() => model.explain([{ ...sample[0], tenure: 'soon' }]), (e: unknown) => e instanceof InputError && /tenure/.test(e.message));
    });
  });
});
