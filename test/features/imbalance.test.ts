import assert from 'node:assert/strict';
import type { InputColumn } from '../../models/features/feature-pipeline';
import { fit } from './helpers';

describe('class imbalance, from the training labels', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ x: i, z: i % 3 === 0 ? null : i * 2, c: i % 2 ? 'odd' : 'even', y: i % 5 === 0 ? 1 : 0 }));
  const inputs: InputColumn[] = [
    { name: 'x', kind: 'numeric' },
    { name: 'z', kind: 'numeric' },
    { name: 'c', kind: 'categorical' },
  ];

  it('scale_pos_weight (the default): negatives / positives, passed as a booster parameter', () => {
    const fitted = fit(rows, inputs, { imbalance: 'scale_pos_weight' });
    assert.deepEqual(fitted.boosterParams, { scale_pos_weight: 4 });
    assert.deepEqual(fitted.state.fit!.balance, { method: 'scale_pos_weight', scalePosWeight: 4 });
    assert.equal(fitted.matrix.rows, 100);
    assert.deepEqual(fit(rows, inputs, {}).boosterParams, {}, 'the helper asks for none');
  });

  it('SMOTE: synthetic minority rows up to the majority, between neighbours, 0/1 features copied, seeded', () => {
    const options = { imbalance: { method: 'smote', k: 3 }, steps: [{ type: 'impute' as const, column: 'z' }] };
    const fitted = fit(rows, inputs, options);
    const { matrix } = fitted;
    assert.deepEqual(fitted.state.featureNames, ['x', 'z', 'c=even', 'c=odd', 'z_missing']);
    assert.deepEqual(fitted.state.fit!.balance, { method: 'smote', k: 3, syntheticRows: 60 });
    assert.equal(matrix.rows, 160);
    assert.equal(matrix.labels.reduce((sum, y) => sum + y, 0), 80);
    // The real rows come first, exactly as the pipeline transforms them.
    assert.deepEqual(Array.from(matrix.data.subarray(0, 100 * 5)), Array.from(fitted.pipeline.transform(rows)));
    const positivesX = rows.filter((row) => row.y === 1).map((row) => row.x);
    for (let r = 100; r < 160; r++) {
      const [x, , even, odd, missing] = matrix.data.subarray(r * 5, r * 5 + 5);
      assert.equal(matrix.labels[r], 1);
      assert.ok(x! >= Math.min(...positivesX) && x! <= Math.max(...positivesX));
      assert.ok(even! + odd! === 1 && (missing === 0 || missing === 1), `row ${r}: 0/1 features are copied, not blended`);
    }
    assert.deepEqual(Array.from(fit(rows, inputs, options).matrix.data), Array.from(matrix.data), 'same seed, same rows');
    assert.notDeepEqual(Array.from(fit(rows, inputs, { ...options, seed: 7 }).matrix.data), Array.from(matrix.data), 'other seed, other rows');
  });

  it('none: the training rows as they are', () => {
    const fitted = fit(rows, inputs, { imbalance: 'none' });
    assert.deepEqual(fitted.boosterParams, {});
    assert.equal(fitted.matrix.rows, 100);
  });
});
