import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { stratifiedSplit } from '../../models/split';

describe('stratifiedSplit', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 1 : 0));

  it('keeps each class share in the holdout and uses every row once', () => {
    const { train, test } = stratifiedSplit(labels, { testFraction: 0.2, seed: 42 });
    assert.equal(test.length, 200);
    assert.equal(test.filter((row) => labels[row] === 1).length, 50);
    assert.deepEqual([...train, ...test].sort((a, b) => a - b), labels.map((_, i) => i));
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = stratifiedSplit(labels, { testFraction: 0.2, seed: 42 });
    assert.deepEqual(stratifiedSplit(labels, { testFraction: 0.2, seed: 42 }), a);
    assert.notDeepEqual(stratifiedSplit(labels, { testFraction: 0.2, seed: 43 }).test, a.test);
  });

  it('splits a million rows (no spread of the indices into one call)', () => {
    const many = Array.from({ length: 1_000_000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const { train, test } = stratifiedSplit(many, { testFraction: 0.2, seed: 7 });
    assert.equal(test.length, 200_000);
    assert.equal(train.length + test.length, many.length);
    assert.ok(test.every((row, i) => i === 0 || row > test[i - 1]!), 'holdout indices ascend');
  });

  it('rejects a test fraction outside (0, 1) naming the field', () => {
    assert.throws(() => stratifiedSplit(labels, { testFraction: 1, seed: 1 }), (error: Error) => error instanceof InputError && /split.testFraction/.test(error.message));
  });
});
