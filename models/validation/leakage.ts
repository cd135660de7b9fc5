import { numbersOf, textOf, type ColumnView } from './columns';
import { binaryAuc } from './auc';
import { datesOf } from './dates';
import type { Finding } from './findings';
import type { ValidationRules } from './rules';

/** How a feature is turned into a score for the leakage check. */
export type FeatureKind = 'number' | 'date' | 'category';

export interface LeakageFeature {
  view: ColumnView;
  kind: FeatureKind;
}

/** Ratio pairs are scored among this many numeric features at most (the strongest), to bound the cost. */
const MAX_RATIO_FEATURES = 20;
/** A ratio is reported only when it beats both its parts by this much; otherwise the single finding says it. */
const RATIO_GAIN = 0.02;
/** Interleaved folds for out-of-fold category rates. */
const FOLDS = 5;

interface Scored {
  name: string;
  kind: FeatureKind;
  auc: number;
  scores: Float64Array;
}

/**
 * Flags features that predict the target too well to be honest: ROC-AUC ≥ `leakageAuc` is an error,
 * ≥ `leakageWarnAuc` a warning. Numbers and dates score by value (missing skipped, max(auc, 1 − auc));
 * categories by the positive rate of their level, computed out of fold so a near-unique column such
 * as a name or an id does not score 1.0 by memorising each row; missing is a level of its own. With
 * `leakageRatios`, ratios of numeric pairs are scored too: Kickstarter's `pledged` alone reaches only
 * 0.90, but `pledged / goal` is the outcome itself (1.000).
 */
export function checkLeakage(features: readonly LeakageFeature[], labels: Int8Array, target: string, rules: ValidationRules): Finding[] {
  const scored: Scored[] = [];
  for (const feature of features) {
    const scores = scoresOf(feature, labels);
    const { auc, positives, negatives } = binaryAuc(labels, scores);
    if (positives < rules.minClassCount || negatives < rules.minClassCount || Number.isNaN(auc)) continue;
    scored.push({ name: feature.view.name, kind: feature.kind, auc: feature.kind === 'category' ? auc : Math.max(auc, 1 - auc), scores });
  }
  const findings: Finding[] = [];
  for (const feature of scored) {
    const severity = feature.auc >= rules.leakageAuc ? 'error' : feature.auc >= rules.leakageWarnAuc ? 'warning' : undefined;
    if (!severity) continue;
    const how = feature.kind === 'category' ? ' (out-of-fold level rates)' : '';
    findings.push({
      severity,
      check: 'leakage',
      column: feature.name,
      message: `${feature.name}: alone predicts ${target} with ROC-AUC ${feature.auc.toFixed(3)}${how}, at or above ${severity === 'error' ? rules.leakageAuc : rules.leakageWarnAuc}; probable leakage (known only after the outcome?)`,
    });
  }
  if (rules.leakageRatios) findings.push(...checkRatios(scored, labels, target, rules));
  const strongest = [...scored].sort((a, b) => b.auc - a.auc)[0];
  if (strongest && strongest.auc < rules.leakageWarnAuc) {
    findings.push({ severity: 'info', check: 'leakage', column: strongest.name, message: `no leakage found; strongest single feature ${strongest.name} has ROC-AUC ${strongest.auc.toFixed(3)} against ${target}` });
  }
  return findings;
}

function checkRatios(scored: readonly Scored[], labels: Int8Array, target: string, rules: ValidationRules): Finding[] {
  const numeric = scored.filter((feature) => feature.kind === 'number').sort((a, b) => b.auc - a.auc).slice(0, MAX_RATIO_FEATURES);
  const findings: Array<Finding & { auc: number }> = [];
  const ratio = new Float64Array(labels.length);
  for (let a = 0; a < numeric.length; a++) {
    for (let b = a + 1; b < numeric.length; b++) {
      const top = numeric[a]!;
      const bottom = numeric[b]!;
      for (let i = 0; i < ratio.length; i++) {
        const denominator = bottom.scores[i]!;
        // NaN (missing) propagates and is skipped by binaryAuc, as is division by zero.
        ratio[i] = denominator === 0 ? NaN : top.scores[i]! / denominator;
      }
      const { auc: raw, positives, negatives } = binaryAuc(labels, ratio);
      if (positives < rules.minClassCount || negatives < rules.minClassCount || Number.isNaN(raw)) continue;
      const auc = Math.max(raw, 1 - raw);
      if (auc < rules.leakageWarnAuc || auc < Math.max(top.auc, bottom.auc) + RATIO_GAIN) continue;
      const severity = auc >= rules.leakageAuc ? 'error' : 'warning';
      findings.push({
        auc,
        severity,
        check: 'leakage',
        column: `${top.name} / ${bottom.name}`,
        message: `${top.name} / ${bottom.name}: the ratio predicts ${target} with ROC-AUC ${auc.toFixed(3)} (alone ${top.auc.toFixed(3)} and ${bottom.auc.toFixed(3)}), at or above ${severity === 'error' ? rules.leakageAuc : rules.leakageWarnAuc}; one of them is probably known only after the outcome`,
      });
    }
  }
  return findings.sort((x, y) => y.auc - x.auc).map(({ auc: _auc, ...finding }) => finding);
}

function scoresOf(feature: LeakageFeature, labels: Int8Array): Float64Array {
  const { view } = feature;
  if (feature.kind === 'number') return numbersOf(view).numbers;
  if (feature.kind === 'date') return datesOf(view);
  return outOfFoldRates(view, labels);
}

/** Each row scored by its level's positive rate in the other folds (the other folds' base rate for unseen levels). */
function outOfFoldRates(view: ColumnView, labels: Int8Array): Float64Array {
  const levels = new Map<string, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const text = textOf(view.values[i]);
    const key = text === null ? '\u0000missing' : text;
    let code = levels.get(key);
    if (code === undefined) levels.set(key, (code = levels.size));
    codes[i] = code;
  }
  // counts[(fold * levels + level) * 2 + label]
  const counts = new Float64Array(FOLDS * levels.size * 2);
  const foldTotals = new Float64Array(FOLDS * 2);
  const levelTotals = new Float64Array(levels.size * 2);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0) continue;
    const fold = i % FOLDS;
    counts[(fold * levels.size + codes[i]!) * 2 + label]++;
    foldTotals[fold * 2 + label]++;
    levelTotals[codes[i]! * 2 + label]++;
  }
  const totalPositives = foldTotals.reduce((sum, count, k) => (k % 2 === 1 ? sum + count : sum), 0);
  const total = foldTotals.reduce((sum, count) => sum + count, 0);
  const scores = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const fold = i % FOLDS;
    const cell = (fold * levels.size + codes[i]!) * 2;
    const positives = levelTotals[codes[i]! * 2 + 1]! - counts[cell + 1]!;
    const seen = positives + levelTotals[codes[i]! * 2]! - counts[cell]!;
    if (seen > 0) scores[i] = positives / seen;
    else {
      const otherTotal = total - foldTotals[fold * 2]! - foldTotals[fold * 2 + 1]!;
      scores[i] = otherTotal > 0 ? (totalPositives - foldTotals[fold * 2 + 1]!) / otherTotal : NaN;
    }
  }
  return scores;
}
