import { higherIsBetter, type BinaryMetrics } from './metrics';

export interface PromotionRule {
  metric: keyof BinaryMetrics;
  /** The candidate must beat production, and by at least this much. */
  minImprovement: number;
}

export interface PromotionDecision {
  promote: boolean;
  reason: string;
}

/**
 * Decides whether a candidate replaces production: always when there is no production version, else
 * when it strictly improves the rule's metric, by at least `minImprovement`, on the same holdout rows
 * (a retrained twin of production is not promoted: no version churn for nothing).
 * Pure and deterministic, so the training workflow calls it directly.
 */
export function decidePromotion(rule: PromotionRule, candidate: BinaryMetrics, production?: { version: number; metrics: BinaryMetrics }): PromotionDecision {
  const value = candidate[rule.metric];
  if (!Number.isFinite(value)) return { promote: false, reason: `candidate ${rule.metric} is ${value}` };
  if (!production) return { promote: true, reason: `first version: no production model (${rule.metric} ${format(value)})` };
  const current = production.metrics[rule.metric];
  const gain = higherIsBetter[rule.metric] ? value - current : current - value;
  const comparison = `${rule.metric} ${format(value)} vs production v${production.version} ${format(current)} on the same holdout`;
  return gain > 0 && gain >= rule.minImprovement
    ? { promote: true, reason: `beats production: ${comparison}` }
    : { promote: false, reason: `does not beat production${rule.minImprovement > 0 ? ` by ${rule.minImprovement}` : ''}: ${comparison}` };
}

function format(value: number): string {
  return value.toFixed(4);
}
