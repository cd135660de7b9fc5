import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { FeaturePipeline, fitFeaturePipeline, type InputColumn } from '../../models/features/feature-pipeline';

describe('feature pipeline', () => {
  const inputs: InputColumn[] = [
    { name: 'tenure', kind: 'numeric' },
    { name: 'contract', kind: 'categorical' },
  ];
  const target = { column: 'churn', positive: 'Yes', negative: 'No' };
  const rows = [
    { tenure: 1, contract: 'monthly' },
    { tenure: 24, contract: 'yearly' },
    { tenure: null, contract: 'monthly' },
  ];

  it('one-hot encodes fitted levels and keeps missing numbers as NaN', () => {
    const pipeline = new FeaturePipeline(fitFeaturePipeline(rows, inputs, target));
    assert.deepEqual(pipeline.state.featureNames, ['tenure', 'contract=monthly', 'contract=yearly']);
    assert.deepEqual(Array.from(pipeline.transform(rows)), [1, 1, 0, 24, 0, 1, NaN, 1, 0]);
  });

  it('reads numbers from strings, blanks as missing, and unseen levels as no level', () => {
    const pipeline = new FeaturePipeline(fitFeaturePipeline(rows, inputs, target));
    assert.deepEqual(Array.from(pipeline.transform([{ tenure: ' 7 ', contract: 'weekly' }, { tenure: ' ', contract: null }])), [7, 0, 0, NaN, 0, 0]);
  });

  it('survives a JSON round trip unchanged', () => {
    const state = fitFeaturePipeline(rows, inputs, target);
    const restored = new FeaturePipeline(JSON.parse(JSON.stringify(state)));
    assert.deepEqual(Array.from(restored.transform(rows)), Array.from(new FeaturePipeline(state).transform(rows)));
  });

  it('names the row and field of a value that is not a number', () => {
    const pipeline = new FeaturePipeline(fitFeaturePipeline(rows, inputs, target));
    assert.throws(
      () => pipeline.transform([rows[0]!, { tenure: 'abc', contract: 'monthly' }]),
      (error: Error) => error instanceof InputError && error.message === 'row 1: tenure: expected a number, got "abc"',
    );
  });

  it('keeps only the most frequent levels up to maxCategories', () => {
    const many = ['a', 'a', 'a', 'b', 'b', 'c'].map((contract) => ({ tenure: 1, contract }));
    const state = fitFeaturePipeline(many, inputs, target, { maxCategories: 2 });
    assert.deepEqual(state.featureNames, ['tenure', 'contract=a', 'contract=b']);
  });
});
