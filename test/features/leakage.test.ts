import assert from 'node:assert/strict';
import { stratifiedKFold } from '../../models/cross-validation';
import { rocAuc } from '../../models/metrics';
import { column, fit } from './helpers';

// Fitting sees training rows only, and a training row's target encoding never sees its own label.
describe('feature fitting without leakage', () => {
  const categorical = [{ name: 'c', kind: 'categorical' as const }];
  const rows = Array.from({ length: 60 }, (_, i) => ({ c: `level${i % 7}`, y: (i * 7919) % 11 < 5 ? 1 : 0 }));

  it('computes each training row\'s target encoding from the other folds only', () => {
    const smoothing = 3;
    const folds = 4;
    const fitted = fit(rows, categorical, { steps: [{ type: 'target_encode', column: 'c', folds, smoothing }], seed: 9 });
    const labels = rows.map((row) => row.y);
    const expected = new Array<number>(rows.length);
    for (const fold of stratifiedKFold(rows.map((_, i) => i), labels, folds, 9)) {
      const prior = fold.train.reduce((sum, i) => sum + labels[i]!, 0) / fold.train.length;
      for (const i of fold.valid) {
        const same = fold.train.filter((j) => rows[j]!.c === rows[i]!.c);
        const positives = same.reduce((sum, j) => sum + labels[j]!, 0);
        expected[i] = Math.fround((positives + smoothing * prior) / (same.length + smoothing));
      }
    }
    assert.deepEqual(column(fitted.matrix.data, 1, 0), expected);
  });

  it('gives an identifier-like column no power on the training rows, where in-sample statistics would memorise the labels', () => {
    const unique = rows.map((row, i) => ({ ...row, c: `id${i}` }));
    const fitted = fit(unique, categorical, { steps: [{ type: 'target_encode', column: 'c', smoothing: 1 }] });
    const labels = unique.map((row) => row.y);
    const inSample = rocAuc(labels, fitted.pipeline.transform(unique));
    assert.equal(inSample, 1);
    // Out of fold, every level is unseen: each row gets its fold's prior, nothing about itself.
    const outOfFold = rocAuc(labels, fitted.matrix.data);
    assert.ok(Math.abs(outOfFold - 0.5) < 0.2, `out-of-fold AUC ${outOfFold}`);
  });

  it('transforms holdout rows with training statistics: their labels and levels change nothing that was fitted', () => {
    const [train, holdout] = [rows.slice(0, 45), rows.slice(45)];
    const options = { steps: [{ type: 'target_encode' as const, column: 'c' }, { type: 'frequency' as const, column: 'c' }] };
    const fitted = fit(train, categorical, options);
    const flipped = holdout.map((row) => ({ ...row, y: 1 - row.y }));
    assert.deepEqual(Array.from(fitted.pipeline.transform(flipped)), Array.from(fitted.pipeline.transform(holdout)));
    // A level only the holdout has is unseen: the prior, and frequency 0.
    const state = fitted.state;
    const encoder = state.encoders.find((e) => e.type === 'target')!;
    assert.ok(encoder.type === 'target');
    assert.deepEqual(Array.from(fitted.pipeline.transform([{ c: 'only-in-holdout' }])), [Math.fround(encoder.prior), 0]);
    assert.equal(state.fit?.rows, 45);
  });
});
