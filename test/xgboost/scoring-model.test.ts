import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { fitFeaturePipeline, FeaturePipeline, type InputColumn } from '../../models/features/feature-pipeline';
import { ScoringModel } from '../../models/scoring-model';
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
