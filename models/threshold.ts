/** How a probability becomes a label (the config's `threshold`). */
export type ThresholdRule =
  | { rule: 'fixed'; value: number }
  | { rule: 'max_f1' }
  | { rule: 'target_precision'; value: number }
  | { rule: 'target_recall'; value: number };

export interface ChosenThreshold {
  /** A record is labelled positive when its probability is ≥ this. */
  threshold: number;
  /** False when no threshold reaches the rule's target: the closest one is used, and the reason says so. */
  met: boolean;
  reason: string;
}

interface Point {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Chooses the threshold by the rule on scored rows the model did not train on (out-of-fold
 * predictions). Candidates are the distinct scores, so every reachable trade-off is considered.
 */
export function chooseThreshold(labels: ArrayLike<number>, scores: ArrayLike<number>, rule: ThresholdRule): ChosenThreshold {
  if (rule.rule === 'fixed') return { threshold: rule.value, met: true, reason: `fixed at ${rule.value}` };
  const points = operatingPoints(labels, scores);
  if (points.length === 0) throw new RangeError('threshold: no scored rows with a positive label to choose from');
  switch (rule.rule) {
    case 'max_f1': {
      // Ties go to the higher threshold: fewer positives for the same F1.
      const best = points.reduce((a, b) => (b.f1 > a.f1 ? b : a));
      return { threshold: best.threshold, met: true, reason: `max F1 ${fmt(best.f1)} (precision ${fmt(best.precision)}, recall ${fmt(best.recall)})` };
    }
    case 'target_precision': {
      const reaching = points.filter((point) => point.precision >= rule.value);
      if (reaching.length === 0) {
        const best = points.reduce((a, b) => (b.precision > a.precision ? b : a));
        return { threshold: best.threshold, met: false, reason: `precision ${rule.value} is out of reach; best is ${fmt(best.precision)} (recall ${fmt(best.recall)})` };
      }
      const chosen = reaching.reduce((a, b) => (b.recall > a.recall ? b : a));
      return { threshold: chosen.threshold, met: true, reason: `precision ${fmt(chosen.precision)} ≥ ${rule.value} with the most recall, ${fmt(chosen.recall)}` };
    }
    case 'target_recall': {
      // Recall only grows as the threshold falls, so the highest threshold keeping it is the most precise.
      const chosen = points.find((point) => point.recall >= rule.value)!;
      return { threshold: chosen.threshold, met: true, reason: `recall ${fmt(chosen.recall)} ≥ ${rule.value} with the most precision, ${fmt(chosen.precision)}` };
    }
  }
}

/** Precision, recall and F1 at each distinct score used as the threshold, from the highest score down. */
function operatingPoints(labels: ArrayLike<number>, scores: ArrayLike<number>): Point[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = order.reduce((sum, i) => sum + (labels[i] === 1 ? 1 : 0), 0);
  if (positives === 0) return [];
  const points: Point[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]!] === 1) tp++;
    else fp++;
    // Rows with tied scores fall on the same side of any threshold: emit a point after the last of them.
    if (k + 1 < order.length && scores[order[k + 1]!] === scores[order[k]!]) continue;
    const precision = tp / (tp + fp);
    const recall = tp / positives;
    points.push({ threshold: scores[order[k]!]!, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) });
  }
  return points;
}

function fmt(value: number): string {
  return value.toFixed(4);
}
