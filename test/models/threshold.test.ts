import assert from 'node:assert/strict';
import { binaryMetrics } from '../../models/metrics';
import { chooseThreshold } from '../../models/threshold';

// Scores from high to low; labels chosen so each rule lands on a different threshold.
const scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
const labels = [1, 1, 0, 1, 1, 0, 1, 0, 0, 0];

describe('chooseThreshold', () => {
  it('keeps a fixed threshold as given', () => {
    assert.deepEqual(chooseThreshold(labels, scores, { rule: 'fixed', value: 0.3 }), { threshold: 0.3, met: true, reason: 'fixed at 0.3' });
  });

  it('max_f1 picks the score where F1 peaks, and the metrics there agree', () => {
    const { threshold } = chooseThreshold(labels, scores, { rule: 'max_f1' });
    assert.equal(threshold, 0.4);
    const best = binaryMetrics(labels, scores, threshold).f1;
    for (const other of scores) assert.ok(binaryMetrics(labels, scores, other).f1 <= best + 1e-12, `F1 at ${other} exceeds the chosen one`);
  });

  it('target_precision takes the most recall that keeps the precision', () => {
    const chosen = chooseThreshold(labels, scores, { rule: 'target_precision', value: 0.8 });
    assert.equal(chosen.threshold, 0.6);
    const at = binaryMetrics(labels, scores, chosen.threshold);
    assert.ok(at.precision >= 0.8);
    assert.equal(at.recall, 0.8);
  });

  it('target_recall takes the highest threshold that keeps the recall', () => {
    assert.equal(chooseThreshold(labels, scores, { rule: 'target_recall', value: 0.6 }).threshold, 0.7);
    assert.equal(chooseThreshold(labels, scores, { rule: 'target_recall', value: 1 }).threshold, 0.4);
  });

  it('says so when a precision is out of reach, and uses the most precise threshold', () => {
    const chosen = chooseThreshold([0, 1, 0, 1], [0.9, 0.8, 0.7, 0.6], { rule: 'target_precision', value: 0.9 });
    assert.equal(chosen.met, false);
    assert.equal(chosen.threshold, 0.8);
    assert.match(chosen.reason, /out of reach; best is 0\.5000/);
  });

  it('puts tied scores on the same side', () => {
    assert.equal(chooseThreshold([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.1], { rule: 'target_recall', value: 0.5 }).threshold, 0.5);
  });
});
