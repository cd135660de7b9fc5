/** Binary classification metrics on labels in {0, 1} and predicted probabilities of class 1. */
export interface BinaryMetrics {
  roc_auc: number;
  pr_auc: number;
  log_loss: number;
  accuracy: number;
  f1: number;
  precision: number;
  recall: number;
}

/** Metrics where a larger value is better; the rest (log loss) are better when smaller. */
export const higherIsBetter: Record<keyof BinaryMetrics, boolean> = {
  roc_auc: true, pr_auc: true, log_loss: false, accuracy: true, f1: true, precision: true, recall: true,
};

export function binaryMetrics(labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold = 0.5): BinaryMetrics {
  const confusion = confusionAt(labels, probabilities, threshold);
  const precision = confusion.tp + confusion.fp === 0 ? 0 : confusion.tp / (confusion.tp + confusion.fp);
  const recall = confusion.tp + confusion.fn === 0 ? 0 : confusion.tp / (confusion.tp + confusion.fn);
  return {
    roc_auc: rocAuc(labels, probabilities),
    pr_auc: averagePrecision(labels, probabilities),
    log_loss: logLoss(labels, probabilities),
    accuracy: (confusion.tp + confusion.tn) / labels.length,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    precision,
    recall,
  };
}

/** Area under the ROC curve by the rank-sum formula; tied scores share their average rank. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = sortedIndices(scores);
  let positives = 0;
  let rankSumPositives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!] === 1) { positives++; rankSumPositives += averageRank; }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Average precision (the step-wise area under the precision–recall curve), as scikit-learn computes it. */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = sortedIndices(scores).reverse();
  const positives = Array.from({ length: labels.length }, (_, i) => labels[i]).filter((y) => y === 1).length;
  if (positives === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let previousRecall = 0;
  let area = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    for (let k = start; k <= end; k++) labels[order[k]!] === 1 ? tp++ : fp++;
    const recall = tp / positives;
    area += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
    start = end + 1;
  }
  return area;
}

export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const eps = 1e-15;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i]!));
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / labels.length;
}

function confusionAt(labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number) {
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i]! >= threshold;
    if (labels[i] === 1) predicted ? counts.tp++ : counts.fn++;
    else predicted ? counts.fp++ : counts.tn++;
  }
  return counts;
}

function sortedIndices(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
}
