import { createRandom, shuffleInPlace } from './random';

export interface Fold {
  train: number[];
  valid: number[];
}

/**
 * Stratified k folds over the given rows: each class is dealt round-robin after a seeded shuffle, so
 * every fold keeps the class shares, and the same rows, labels and seed always give the same folds.
 */
export function stratifiedKFold(rows: readonly number[], labels: ArrayLike<number>, k: number, seed: number): Fold[] {
  if (!Number.isInteger(k) || k < 2 || k > rows.length) throw new RangeError(`folds: expected a whole number from 2 to ${rows.length}, got ${k}`);
  const random = createRandom(seed);
  const assignment = new Map<number, number>();
  const byClass = new Map<number, number[]>();
  for (const row of rows) {
    const members = byClass.get(labels[row]!) ?? [];
    members.push(row);
    byClass.set(labels[row]!, members);
  }
  let next = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const row of shuffleInPlace(byClass.get(label)!, random)) assignment.set(row, next++ % k);
  }
  return Array.from({ length: k }, (_, fold) => ({
    train: rows.filter((row) => assignment.get(row) !== fold),
    valid: rows.filter((row) => assignment.get(row) === fold),
  }));
}
