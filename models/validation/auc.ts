/**
 * ROC-AUC of scores against labels 1/0, skipping rows labelled -1 and NaN scores. Same value as
 * `rocAuc` in models/metrics (ties count half) but sorts each class's scores natively, which matters
 * when the leakage check scores hundreds of columns and ratios.
 */
export function binaryAuc(labels: Int8Array, scores: Float64Array): { auc: number; positives: number; negatives: number } {
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! < 0 || Number.isNaN(scores[i]!)) continue;
    if (labels[i] === 1) positives++;
    else negatives++;
  }
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, n = 0; i < labels.length; i++) {
    if (labels[i]! < 0 || Number.isNaN(scores[i]!)) continue;
    if (labels[i] === 1) pos[p++] = scores[i]!;
    else neg[n++] = scores[i]!;
  }
  if (positives === 0 || negatives === 0) return { auc: NaN, positives, negatives };
  pos.sort();
  neg.sort();
  let below = 0;
  let belowOrEqual = 0;
  let wins = 0;
  for (const score of pos) {
    while (below < negatives && neg[below]! < score) below++;
    if (belowOrEqual < below) belowOrEqual = below;
    while (belowOrEqual < negatives && neg[belowOrEqual]! <= score) belowOrEqual++;
    wins += below + (belowOrEqual - below) / 2;
  }
  return { auc: wins / (positives * negatives), positives, negatives };
}
