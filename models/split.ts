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
  const inTest = new Uint8Array(labels.length);
  // Sorted class order keeps the random stream, and so the split, independent of row order of first sight.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(byClass.get(label)!, random);
    const testCount = Math.round(rows.length * testFraction);
    for (let r = 0; r < testCount; r++) inTest[rows[r]!] = 1;
  }
  // Collected in row order, so both parts come out sorted without a sort (and without spreading a million
  // indices into push(), which overflows the stack).
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) (inTest[i] ? test : train).push(i);
  return { train, test };
}

