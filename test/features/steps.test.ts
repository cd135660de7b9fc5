import assert from 'node:assert/strict';
import type { InputColumn } from '../../models/features/feature-pipeline';
import { byName, column, fit } from './helpers';

const numeric = (name: string): InputColumn => ({ name, kind: 'numeric' });
const categorical = (name: string): InputColumn => ({ name, kind: 'categorical' });

describe('feature steps: fit on training rows, transform any record', () => {
  describe('impute', () => {
    const rows = [
      { x: 1, c: 'a', y: 1 },
      { x: null, c: null, y: 0 },
      { x: 3, c: 'a', y: 0 },
      { x: 10, c: 'b', y: 1 },
    ];

    it('fills numbers with the median and categories with the mode, each with a missing indicator', () => {
      const fitted = fit(rows, [numeric('x'), categorical('c')], { steps: [{ type: 'impute', columns: ['x', 'c'] }] });
      assert.deepEqual(fitted.state.featureNames, ['x', 'c=a', 'c=b', 'x_missing', 'c_missing']);
      assert.deepEqual(fitted.state.steps.map((step) => step.type === 'impute' && step.value), [3, 'a']);
      assert.deepEqual(byName(fitted, { x: null, c: null }), { x: 3, 'c=a': 1, 'c=b': 0, x_missing: 1, c_missing: 1 });
      assert.deepEqual(byName(fitted, { x: 7, c: 'b' }), { x: 7, 'c=a': 0, 'c=b': 1, x_missing: 0, c_missing: 0 });
    });

    it('fills with a constant, or the most frequent number (ties to the smallest), without an indicator when asked', () => {
      const constant = fit(rows, [numeric('x')], { steps: [{ type: 'impute', column: 'x', strategy: 'constant', value: -1, indicator: false }] });
      assert.deepEqual(constant.state.featureNames, ['x']);
      assert.deepEqual(byName(constant, { x: ' ' }), { x: -1 });
      const mode = fit([{ x: 2 }, { x: 1 }, { x: 2 }, { x: 1 }, { x: null }], [numeric('x')], { steps: [{ type: 'impute', column: 'x', strategy: 'mode', indicator: false }] });
      assert.deepEqual(byName(mode, { x: null }), { x: 1 });
    });

    it('leaves missing numbers as NaN when nothing imputes them (XGBoost learns where they go)', () => {
      const fitted = fit(rows, [numeric('x')]);
      assert.ok(Number.isNaN(byName(fitted, { x: null }).x));
    });
  });

  it('log1p: log(1 + x), and missing where there is no logarithm', () => {
    const fitted = fit([{ x: 0 }, { x: 9 }], [numeric('x')], { steps: [{ type: 'log1p', column: 'x' }] });
    const values = [0, Math.E - 1, -1, -5, null].map((x) => byName(fitted, { x }).x);
    assert.deepEqual(values, [0, Math.fround(1), NaN, NaN, NaN]);
  });

  it('clip: bounds are quantiles of the training rows (linear interpolation)', () => {
    const fitted = fit([1, 2, 3, 4, 5, null].map((x) => ({ x })), [numeric('x')], { steps: [{ type: 'clip', column: 'x', quantiles: [0.25, 0.75] }] });
    const step = fitted.state.steps[0]!;
    assert.ok(step.type === 'clip');
    assert.deepEqual([step.low, step.high], [2, 4]);
    assert.deepEqual([0, 3, 10, 2.5, null].map((x) => byName(fitted, { x }).x), [2, 3, 4, 2.5, NaN]);
  });

  it('ratio: a new column, missing for a zero or missing denominator', () => {
    const fitted = fit([{ a: 1, b: 2 }], [numeric('a'), numeric('b')], { steps: [{ type: 'ratio', numerator: 'a', denominator: 'b' }] });
    assert.deepEqual(fitted.state.featureNames, ['a', 'b', 'a_per_b']);
    assert.deepEqual([{ a: 6, b: 3 }, { a: 1, b: 0 }, { a: null, b: 2 }].map((record) => byName(fitted, record).a_per_b), [2, NaN, NaN]);
  });

  describe('dates', () => {
    const inputs: InputColumn[] = [categorical('launched'), categorical('deadline')];
    const rows = [{ launched: '2018-03-04 10:00:00', deadline: '2018-04-03' }];

    it('parse text columns as dates when a date step reads them, and give the days between two', () => {
      const fitted = fit(rows, inputs, { steps: [{ type: 'days_between', start: 'launched', end: 'deadline', as: 'duration' }] });
      assert.deepEqual(fitted.pipeline.inputs, [{ name: 'launched', kind: 'date' }, { name: 'deadline', kind: 'date' }]);
      assert.deepEqual(fitted.state.featureNames, ['duration']);
      assert.equal(byName(fitted, rows[0]!).duration, Math.fround(29 + 14 / 24));
      assert.equal(byName(fitted, { launched: '2015-01-01T00:00:00Z', deadline: '2015-01-31T12:00:00+02:00' }).duration, Math.fround(30 + 10 / 24));
      assert.ok(Number.isNaN(byName(fitted, { launched: null, deadline: '2015-01-31' }).duration));
    });

    it('give year, month, day, ISO weekday, hour and days since 1970, in UTC', () => {
      const fitted = fit(rows, inputs.slice(0, 1), { steps: [{ type: 'date_parts', column: 'launched', parts: ['year', 'month', 'day', 'weekday', 'hour', 'epoch_days'] }] });
      assert.deepEqual(byName(fitted, rows[0]!), {
        launched_year: 2018, launched_month: 3, launched_day: 4, launched_weekday: 7, launched_hour: 10, launched_epoch_days: Math.fround(Date.UTC(2018, 2, 4, 10) / 86_400_000),
      });
      assert.equal(byName(fitted, { launched: '2018-03-05' }).launched_weekday, 1);
    });

    it('refuse a value that is not a date, naming the field', () => {
      const fitted = fit(rows, inputs.slice(0, 1), { steps: [{ type: 'date_parts', column: 'launched' }] });
      assert.throws(() => fitted.pipeline.transform([{ launched: '2018-02-30' }]), /^InputError: row 0: launched: expected a date \(YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601\), got "2018-02-30"$/);
    });
  });

  it('text_stats: length in characters and word count of a text column', () => {
    const fitted = fit([{ name: 'x' }], [categorical('name')], { steps: [{ type: 'text_stats', column: 'name' }] });
    assert.deepEqual(fitted.pipeline.inputs, [{ name: 'name', kind: 'text' }]);
    assert.deepEqual(byName(fitted, { name: ' Hello  wörld 🚀' }), { name_length: 15, name_words: 3 });
    assert.deepEqual(byName(fitted, { name: '' }), { name_length: 0, name_words: 0 });
    assert.deepEqual(byName(fitted, { name: null }), { name_length: NaN, name_words: NaN });
  });

  describe('categorical encoders', () => {
    const rows = ['a', 'a', 'a', 'b', 'b', 'c', null].map((c) => ({ c }));

    it('one-hot: the most frequent levels up to the step limit; rare, unseen and missing levels set none', () => {
      const fitted = fit(rows, [categorical('c')], { steps: [{ type: 'onehot', column: 'c', maxCategories: 2 }] });
      assert.deepEqual(fitted.state.featureNames, ['c=a', 'c=b']);
      assert.deepEqual(['b', 'c', 'zzz', null].map((c) => Array.from(fitted.pipeline.transform([{ c }]))), [[0, 1], [0, 0], [0, 0], [0, 0]]);
    });

    it('frequency: the share of training rows; 0 for an unseen level, missing for a missing one', () => {
      const fitted = fit(rows, [categorical('c')], { steps: [{ type: 'frequency', column: 'c' }] });
      assert.deepEqual(fitted.state.featureNames, ['c_frequency']);
      assert.deepEqual(['a', 'c', 'zzz', null].map((c) => byName(fitted, { c }).c_frequency), [Math.fround(3 / 7), Math.fround(1 / 7), 0, NaN]);
    });

    it('target encoding: smoothed level rates for other rows, the prior for unseen levels', () => {
      const labelled = [
        { c: 'a', y: 1 }, { c: 'a', y: 1 }, { c: 'a', y: 0 },
        { c: 'b', y: 0 }, { c: 'b', y: 0 }, { c: null, y: 1 },
      ];
      const fitted = fit(labelled, [categorical('c')], { steps: [{ type: 'target_encode', column: 'c', smoothing: 2, folds: 2 }] });
      const prior = 3 / 6;
      assert.deepEqual(fitted.state.featureNames, ['c_target_rate']);
      assert.deepEqual(['a', 'b', 'zzz', null].map((c) => byName(fitted, { c }).c_target_rate), [
        Math.fround((2 + 2 * prior) / (3 + 2)), Math.fround((0 + 2 * prior) / (2 + 2)), Math.fround(prior), NaN,
      ]);
    });

    it('several encoders on one column each add their features; a column without one is one-hot', () => {
      const fitted = fit(rows.map((row, i) => ({ ...row, d: i % 2 ? 'x' : 'y' })), [categorical('c'), categorical('d')], {
        steps: [{ type: 'frequency', column: 'c' }, { type: 'onehot', column: 'c' }],
      });
      assert.deepEqual(fitted.state.featureNames, ['c_frequency', 'c=a', 'c=b', 'c=c', 'd=x', 'd=y']);
      assert.deepEqual(fitted.pipeline.featureSources, ['c', 'c', 'c', 'c', 'd', 'd']);
    });
  });

  it('runs steps in list order: each reads the columns as the steps before it left them', () => {
    const rows = [{ a: 9, b: null }, { a: 99, b: 10 }, { a: 999, b: 10 }];
    const fitted = fit(rows, [numeric('a'), numeric('b')], {
      steps: [
        { type: 'impute', column: 'b', indicator: false },
        { type: 'ratio', numerator: 'a', denominator: 'b', as: 'a_over_b' },
        { type: 'log1p', column: 'a' },
      ],
    });
    // The ratio read the raw a, imputed b; a itself is logged afterwards.
    assert.deepEqual(column(fitted.matrix.data, 3, 2), [0.9, 9.9, 99.9].map(Math.fround));
    assert.deepEqual(column(fitted.matrix.data, 3, 0), [10, 100, 1000].map((x) => Math.fround(Math.log(x))));
    assert.deepEqual(fitted.pipeline.featureSources, ['a', 'b', 'a']);
  });
});
