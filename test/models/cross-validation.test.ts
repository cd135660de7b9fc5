import assert from 'node:assert/strict';
import { stratifiedKFold } from '../../models/cross-validation';

describe('stratifiedKFold', () => {
  const rows = Array.from({ length: 300 }, (_, i) => i * 2);
  const labels = new Float32Array(600).map((_, i) => (i % 6 === 0 ? 1 : 0));

  it('partitions the rows into k validation folds with the class shares kept', () => {
    const folds = stratifiedKFold(rows, labels, 3, 7);
    assert.deepEqual(folds.flatMap((fold) => fold.valid).sort((a, b) => a - b), rows);
    for (const fold of folds) {
      assert.equal(fold.valid.length, 100);
      assert.equal(fold.train.length + fold.valid.length, rows.length);
      const share = fold.valid.filter((row) => labels[row] === 1).length / fold.valid.length;
      assert.ok(Math.abs(share - 1 / 3) < 0.02, `positive share ${share}`);
      assert.ok(!fold.train.some((row) => fold.valid.includes(row)));
    }
  });

  it('is reproducible for a seed', () => {
    assert.deepEqual(stratifiedKFold(rows, labels, 3, 7), stratifiedKFold(rows, labels, 3, 7));
    assert.notDeepEqual(stratifiedKFold(rows, labels, 3, 8)[0]!.valid, stratifiedKFold(rows, labels, 3, 7)[0]!.valid);
  });

  it('rejects an impossible fold count', () => {
    assert.throws(() => stratifiedKFold(rows, labels, 1, 0), /folds: expected a whole number from 2 to 300, got 1/);
  });
});
