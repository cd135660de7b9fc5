import { InputError } from '../lib/errors';
import { createRandom, shuffleInPlace } from './random';

export interface SplitOptions {
  /** Share of each class that goes to the holdout, in (0, 1). */
  testFraction: number;
  seed: number;
}

/** Row indices of the two parts, each sorted ascending. */
export interface TrainTestSplit {
  train: number[];
  test: number[];
}

/**
 * Stratified, seeded train/test split: every class keeps its share in both parts, and the same labels
 * and seed always give the same rows.
 */
export function stratifiedSplit(labels: ArrayLike<number>, { testFraction, seed }: SplitOptions): TrainTestSplit {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new InputError(`split.testFraction: expected a number between 0 and 1, got ${testFraction}`);
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const rows = byClass.get(labels[i]!) ?? [];
    rows.push(i);
    byClass.set(labels[i]!, rows);
  }
  const random = createRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  // Sorted class order keeps the random stream, and so the split, independent of row order of first sight.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(byClass.get(label)!, random);
    const testCount = Math.round(rows.length * testFraction);
    test.push(...rows.slice(0, testCount));
    train.push(...rows.slice(testCount));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
