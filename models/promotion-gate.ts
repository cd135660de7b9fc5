import { higherIsBetter, type BinaryMetrics } from './metrics';

export type MetricName = keyof BinaryMetrics;

/** A metric that must not get worse than production's by more than `tolerance` (in the metric's units). */
export interface GuardMetric {
  metric: MetricName;
  tolerance: number;
}

/**
 * When a candidate replaces production, in the manner of MLflow's MetricThreshold: an absolute floor,
 * and changes against production that are large enough to be worth a new version.
 */
export interface PromotionRule {
  metric: MetricName;
  /** The candidate's value must be at least this (at most, for metrics where lower is better). */
  minValue?: number;
  /** The candidate must beat production by at least this much on `metric`. */
  minImprovement: number;
  /** …and by at least this share of production's value (0.01 = 1%). */
  minRelativeImprovement?: number;
  guards?: GuardMetric[];
}

export interface GateCheck {
  check: string;
  passed: boolean;
  detail: string;
}

export interface PromotionDecision {
  promote: boolean;
  /** One line: the first failed check, or why the candidate passed. */
  reason: string;
  /** Every check the gate made, in order, so the decision can be audited. */
  checks: GateCheck[];
}

/**
 * Decides whether a candidate replaces production on the same holdout rows: the first version is
 * promoted when it reaches the floor; later ones must also strictly improve the metric by the
 * configured margins (a retrained twin of production is not promoted: no version churn for nothing)
 * while no guard metric degrades beyond its tolerance.
 * Pure and deterministic, so the training workflow calls it directly.
 */
export function decidePromotion(rule: PromotionRule, candidate: BinaryMetrics, production?: { version: number; metrics: BinaryMetrics }): PromotionDecision {
  const checks: GateCheck[] = [];
  const value = candidate[rule.metric];
  checks.push({ check: `${rule.metric} is a number`, passed: Number.isFinite(value), detail: `candidate ${rule.metric} ${format(value)}` });
  if (rule.minValue !== undefined) {
    const passed = higherIsBetter[rule.metric] ? value >= rule.minValue : value <= rule.minValue;
    checks.push({ check: `${rule.metric} ${higherIsBetter[rule.metric] ? '≥' : '≤'} ${rule.minValue}`, passed, detail: `candidate ${format(value)}` });
  }
  if (production) {
    const current = production.metrics[rule.metric];
    const gain = improvement(rule.metric, value, current);
    const against = `candidate ${format(value)} vs production v${production.version} ${format(current)}`;
    checks.push({ check: `${rule.metric} beats production by > 0 and ≥ ${rule.minImprovement}`, passed: gain > 0 && gain >= rule.minImprovement, detail: against });
    if (rule.minRelativeImprovement) {
      const relative = gain / Math.abs(current);
      checks.push({ check: `${rule.metric} beats production by ≥ ${percent(rule.minRelativeImprovement)}`, passed: relative >= rule.minRelativeImprovement, detail: `${percent(relative)}: ${against}` });
    }
    for (const guard of rule.guards ?? []) {
      const change = improvement(guard.metric, candidate[guard.metric], production.metrics[guard.metric]);
      checks.push({
        check: `guard ${guard.metric} degrades by ≤ ${guard.tolerance}`,
        passed: change >= -guard.tolerance,
        detail: `candidate ${format(candidate[guard.metric])} vs production ${format(production.metrics[guard.metric])}`,
      });
    }
  }
  const failed = checks.find((check) => !check.passed);
  if (failed) return { promote: false, reason: `${failed.check} failed (${failed.detail})`, checks };
  const reason = production
    ? `beats production on ${rule.metric}: ${checks.find((check) => check.check.startsWith(`${rule.metric} beats`))!.detail}`
    : `first version: no production model (${rule.metric} ${format(value)})`;
  return { promote: true, reason, checks };
}

/** How much better `value` is than `reference`, positive when better, whatever the metric's direction. */
function improvement(metric: MetricName, value: number, reference: number): number {
  return higherIsBetter[metric] ? value - reference : reference - value;
}

function format(value: number): string {
  return value.toFixed(4);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}
