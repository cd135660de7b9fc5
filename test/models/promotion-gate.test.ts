import assert from 'node:assert/strict';
import type { BinaryMetrics } from '../../models/metrics';
import { decidePromotion } from '../../models/promotion-gate';

const metrics = (roc_auc: number, log_loss = 0.4): BinaryMetrics => ({ roc_auc, pr_auc: 0.6, log_loss, accuracy: 0.8, f1: 0.5, precision: 0.6, recall: 0.5 });

describe('decidePromotion', () => {
  const rule = { metric: 'roc_auc' as const, minImprovement: 0 };

  it('promotes the first version', () => {
    assert.equal(decidePromotion(rule, metrics(0.7)).promote, true);
  });

  it('promotes only a strict improvement over production', () => {
    assert.equal(decidePromotion(rule, metrics(0.81), { version: 1, metrics: metrics(0.8) }).promote, true);
    const twin = decidePromotion(rule, metrics(0.8), { version: 1, metrics: metrics(0.8) });
    assert.equal(twin.promote, false);
    assert.match(twin.reason, /does not beat production: roc_auc 0\.8000 vs production v1 0\.8000/);
  });

  it('requires the minimum improvement, in the metric\'s direction', () => {
    assert.equal(decidePromotion({ metric: 'roc_auc', minImprovement: 0.02 }, metrics(0.81), { version: 1, metrics: metrics(0.8) }).promote, false);
    assert.equal(decidePromotion({ metric: 'log_loss', minImprovement: 0.01 }, metrics(0.8, 0.38), { version: 1, metrics: metrics(0.8, 0.4) }).promote, true);
    assert.equal(decidePromotion({ metric: 'log_loss', minImprovement: 0 }, metrics(0.8, 0.42), { version: 1, metrics: metrics(0.8, 0.4) }).promote, false);
  });

  it('never promotes an undefined metric', () => {
    assert.equal(decidePromotion(rule, metrics(NaN)).promote, false);
  });
});
