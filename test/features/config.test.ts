import assert from 'node:assert/strict';
import path from 'node:path';
import { InputError } from '../../lib/errors';
import { loadPipelineConfig, parsePipelineConfig } from '../../lib/pipeline-config';
import { projectRoot } from '../../lib/settings';
import type { FitOptions, InputColumn } from '../../models/features/feature-pipeline';
import { fit } from './helpers';

const base = { name: 'm', source: { type: 'csv', path: 'a.csv' }, target: { column: 'y', positive: 'Yes' }, training: { rounds: 5 } };
const configWith = (extra: object) => parsePipelineConfig({ ...base, ...extra });
/** Asserts an InputError whose message matches every pattern. */
const rejects = (run: () => unknown, ...patterns: RegExp[]) =>
  assert.throws(run, (error: Error) => {
    assert.ok(error instanceof InputError, String(error));
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });

describe('features config', () => {
  it('loads the shipped configs: Telco as before, Kickstarter with its steps and kept target values', () => {
    const telco = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    assert.deepEqual(telco.features, { exclude: ['customerID'], maxCategories: 50, steps: [], imbalance: { method: 'scale_pos_weight' }, seed: 42 });
    const kickstarter = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/kickstarter.yaml'));
    assert.deepEqual(kickstarter.target, { column: 'state', positive: 'successful', keep: ['successful', 'failed'] });
    assert.deepEqual(kickstarter.features.steps.map((step) => step.type), ['log1p', 'days_between', 'date_parts', 'text_stats', 'onehot', 'target_encode']);
  });

  it('reads imbalance as a word or an object, and names bad fields by path', () => {
    assert.deepEqual(configWith({ features: { imbalance: { method: 'smote' } } }).features.imbalance, { method: 'smote', k: 5 });
    assert.deepEqual(configWith({ features: { imbalance: 'none' } }).features.imbalance, { method: 'none' });
    rejects(
      () => configWith({
        features: {
          steps: [
            { type: 'log1p' },
            { type: 'clip', column: 'x', quantiles: [0.9, 0.1] },
            { type: 'impute', column: 'x', strategy: 'constant' },
            { type: 'date_parts', columns: ['d'], parts: ['century'] },
            { type: 'explode', column: 'x' },
          ],
          select: { mutualInfo: {} },
          imbalance: 'smot',
        },
      }),
      /features\.steps\[0\]\.column: give either column or columns/,
      /features\.steps\[1\]\.quantiles: the lower quantile must be below the upper/,
      /features\.steps\[2\]\.value: value goes with strategy: constant/,
      /features\.steps\[3\]\.parts\[0\]: /,
      /features\.steps\[4\]\.type: /,
      /features\.select\.mutualInfo: give top, min, or both/,
      /features\.imbalance\.method: /,
    );
  });

  it('refuses kept target values that leave out the positive class', () => {
    rejects(() => configWith({ target: { column: 'y', positive: 'Yes', keep: ['No', 'Maybe'] } }), /target\.keep: the positive class must be one of the kept values/);
  });

  describe('checked against the data at fitting', () => {
    const inputs: InputColumn[] = [
      { name: 'n', kind: 'numeric' },
      { name: 'c', kind: 'categorical' },
      { name: 'd', kind: 'categorical' },
    ];
    const rows = [{ n: 1, c: 'a', d: '2020-01-01', y: 1 }];
    const fitting = (options: FitOptions) => () => fit(rows, inputs, options);

    it('names a column that is not there, excluded or the target', () => {
      rejects(fitting({ steps: [{ type: 'log1p', column: 'n' }, { type: 'frequency', column: 'c' }, { type: 'log1p', column: 'foo' }] }), /^features\.steps\[2\]\.column: "foo" is not a column \(inputs: n, c, d\)$/);
      rejects(fitting({ steps: [{ type: 'onehot', columns: ['c', 'y'] }] }), /^features\.steps\[0\]\.columns\[1\]: "y" is the target, never a feature$/);
      rejects(fitting({ steps: [{ type: 'log1p', column: 'n_per_n' }, { type: 'ratio', numerator: 'n', denominator: 'n' }] }), /features\.steps\[0\]\.column: "n_per_n" is not a column/);
    });

    it('names a column of the wrong kind for its step', () => {
      rejects(fitting({ steps: [{ type: 'log1p', column: 'c' }] }), /^features\.steps\[0\]\.column: "c" is categorical; log1p needs a numeric column$/);
      rejects(fitting({ steps: [{ type: 'days_between', start: 'd', end: 'n' }] }), /^features\.steps\[0\]\.end: "n" is numeric; days_between needs a date column$/);
      rejects(fitting({ steps: [{ type: 'impute', column: 'c', strategy: 'median' }] }), /^features\.steps\[0\]\.strategy: median needs a numeric column; "c" is categorical$/);
      rejects(fitting({ steps: [{ type: 'impute', column: 'n', strategy: 'constant', value: 'zero' }] }), /^features\.steps\[0\]\.value: "n" is numeric, so its fill value must be a number/);
      rejects(fitting({ steps: [{ type: 'date_parts', column: 'd' }, { type: 'text_stats', column: 'd' }] }), /^features\.steps\[1\]\.column: "d" is read as date by features\.steps\[0\]\.column, so it cannot be read as text here$/);
      rejects(fitting({ steps: [{ type: 'date_parts', column: 'd' }, { type: 'onehot', column: 'd' }] }), /^features\.steps\[1\]\.column: "d" is date; onehot needs a categorical column$/);
    });

    it('names a new column or feature that would take an existing name', () => {
      rejects(fitting({ steps: [{ type: 'ratio', numerator: 'n', denominator: 'n', as: 'c' }] }), /^features\.steps\[0\]\.as: "c" is already a column/);
      rejects(fitting({ steps: [{ type: 'onehot', column: 'c' }, { type: 'onehot', column: 'c' }] }), /^features\.steps: two features would be named "c=a"/);
    });

    it('checks options passed in code the same way', () => {
      rejects(fitting({ steps: [{ type: 'clip', column: 'n', quantiles: [0.5, 2] }] } as FitOptions), /^features\.steps\[0\]\.quantiles\[1\]: /);
    });
  });
});
