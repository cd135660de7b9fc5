/** Seeded PRNG (mulberry32): the same seed gives the same matrix on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Synthetic {
  data: Float32Array;
  labels: Float32Array;
  rows: number;
  cols: number;
}

/**
 * A binary problem: label = 1 when a noisy linear score is positive; `missingRate` of
 * the cells are NaN.
 */
export function binaryData(rows: number, cols: number, seed = 1, missingRate = 0.1, noise = 0.3): Synthetic {
  const next = rng(seed);
  const data = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let score = 0;
    for (let c = 0; c < cols; c++) {
      const x = next() * 2 - 1;
      score += x * (c % 2 === 0 ? 1 : -0.5) * (c < 4 ? 1 : 0.1);
      data[r * cols + c] = next() < missingRate ? Number.NaN : x;
    }
    labels[r] = score + (next() - 0.5) * noise > 0 ? 1 : 0;
  }
  return { data, labels, rows, cols };
}

/** Rank-based AUC of scores against 0/1 labels. */
export function auc(scores: Float32Array, labels: Float32Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let positives = 0;
  order.forEach((row, rank) => {
    if (labels[row] === 1) {
      rankSum += rank + 1;
      positives += 1;
    }
  });
  const negatives = labels.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Raw records with numeric and categorical columns (and missing values), and the label they imply. */
export function churnRecords(count: number, seed = 1): { records: Array<Record<string, string | number | null>>; labels: Float32Array } {
  const next = rng(seed);
  const contracts = ['Month-to-month', 'One year', 'Two year'];
  const payments = ['Electronic check', 'Mailed check', 'Bank transfer', 'Credit card'];
  const records: Array<Record<string, string | number | null>> = [];
  const labels = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const tenure = Math.floor(next() * 72);
    const charges = 20 + next() * 100;
    const contract = contracts[Math.floor(next() * contracts.length)]!;
    const payment = payments[Math.floor(next() * payments.length)]!;
    const score = (contract === 'Month-to-month' ? 1.2 : -1) - tenure / 30 + charges / 80 + (payment === 'Electronic check' ? 0.5 : 0) + (next() - 0.5);
    labels[i] = score > 0 ? 1 : 0;
    records.push({ tenure, MonthlyCharges: next() < 0.05 ? null : Math.round(charges * 100) / 100, Contract: contract, PaymentMethod: next() < 0.05 ? null : payment });
  }
  return { records, labels };
}
