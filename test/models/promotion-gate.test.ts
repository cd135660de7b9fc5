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
    assert.match(twin.reason, /roc_auc beats production by > 0 and ≥ 0 failed \(candidate 0\.8000 vs production v1 0\.8000\)/);
  });

  it('requires the minimum improvement, in the metric\'s direction', () => {
    assert.equal(decidePromotion({ metric: 'roc_auc', minImprovement: 0.02 }, metrics(0.81), { version: 1, metrics: metrics(0.8) }).promote, false);
    assert.equal(decidePromotion({ metric: 'log_loss', minImprovement: 0.01 }, metrics(0.8, 0.38), { version: 1, metrics: metrics(0.8, 0.4) }).promote, true);
    assert.equal(decidePromotion({ metric: 'log_loss', minImprovement: 0 }, metrics(0.8, 0.42), { version: 1, metrics: metrics(0.8, 0.4) }).promote, false);
  });

  it('never promotes an undefined metric', () => {
    assert.equal(decidePromotion(rule, metrics(NaN)).promote, false);
  });

  it('holds even a first version to the floor, in the metric\'s direction', () => {
    const low = decidePromotion({ ...rule, minValue: 0.75 }, metrics(0.7));
    assert.equal(low.promote, false);
    assert.match(low.reason, /roc_auc ≥ 0\.75 failed \(candidate 0\.7000\)/);
    assert.equal(decidePromotion({ metric: 'log_loss', minImprovement: 0, minValue: 0.35 }, metrics(0.8, 0.4)).promote, false);
    assert.equal(decidePromotion({ metric: 'log_loss', minImprovement: 0, minValue: 0.45 }, metrics(0.8, 0.4)).promote, true);
  });

  it('requires the relative improvement as a share of production', () => {
    const production = { version: 3, metrics: metrics(0.8) };
    assert.equal(decidePromotion({ ...rule, minRelativeImprovement: 0.01 }, metrics(0.807), production).promote, false);
    assert.equal(decidePromotion({ ...rule, minRelativeImprovement: 0.01 }, metrics(0.809), production).promote, true);
  });

  it('refuses a candidate that degrades a guard metric beyond its tolerance, and lists every check', () => {
    const production = { version: 2, metrics: metrics(0.8, 0.40) };
    const guarded = { ...rule, guards: [{ metric: 'log_loss' as const, tolerance: 0.01 }] };
    const worse = decidePromotion(guarded, metrics(0.82, 0.42), production);
    assert.equal(worse.promote, false);
    assert.match(worse.reason, /guard log_loss degrades by ≤ 0\.01 failed \(candidate 0\.4200 vs production 0\.4000\)/);
    assert.deepEqual(worse.checks.map((check) => check.passed), [true, true, false]);
    const within = decidePromotion(guarded, metrics(0.82, 0.405), production);
    assert.equal(within.promote, true);
    assert.match(within.reason, /beats production on roc_auc: candidate 0\.8200 vs production v2 0\.8000/);
  });
});
