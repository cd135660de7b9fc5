import assert from 'node:assert/strict';
import { averagePrecision, binaryMetrics, logLoss, rocAuc } from '../../models/metrics';
import { createRandom } from '../../models/random';

describe('binary metrics', () => {
  it('computes ROC-AUC and average precision on a hand-checked case', () => {
    const labels = [0, 0, 1, 1];
    const scores = [0.1, 0.4, 0.35, 0.8];
    assert.equal(rocAuc(labels, scores), 0.75);
    assert.ok(Math.abs(averagePrecision(labels, scores) - (0.5 + 0.5 * (2 / 3))) < 1e-12);
  });

  it('gives tied scores half credit, as the pairwise definition does', () => {
    const random = createRandom(7);
    const labels = Array.from({ length: 300 }, () => (random.next() < 0.3 ? 1 : 0));
    const scores = Array.from({ length: 300 }, () => Math.round(random.next() * 10) / 10);
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < labels.length; i++) {
      for (let j = 0; j < labels.length; j++) {
        if (labels[i] === 1 && labels[j] === 0) {
          pairs++;
          wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
      }
    }
    assert.ok(Math.abs(rocAuc(labels, scores) - wins / pairs) < 1e-12);
  });

  it('computes log loss, accuracy and F1 at the threshold', () => {
    assert.ok(Math.abs(logLoss([1, 0], [0.8, 0.3]) - (-Math.log(0.8) - Math.log(0.7)) / 2) < 1e-12);
    const metrics = binaryMetrics([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1]);
    assert.equal(metrics.accuracy, 0.5);
    assert.equal(metrics.precision, 0.5);
    assert.equal(metrics.recall, 0.5);
    assert.equal(metrics.f1, 0.5);
  });

  it('returns NaN for AUC when only one class is present', () => {
    assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.3])));
  });
});
