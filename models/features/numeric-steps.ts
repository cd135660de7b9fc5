import { InputError } from '../../lib/errors';
import type { ColumnStep } from './column-step';
import { storedAsNumber } from './frame';
import type { FittedStep } from './state';

type Step<T extends FittedStep['type']> = Extract<FittedStep, { type: T }>;

/** Fills missing values; with an indicator column, `<column>_missing` is 1 where the raw value was missing. */
export const impute: ColumnStep<Step<'impute'>> = {
  reads: (step) => [step.column],
  writes: (step) => (step.indicator ? [step.column, step.indicator] : [step.column]),
  fit(step, frame, layout, path) {
    if (step.strategy === 'constant') return step;
    const numeric = storedAsNumber(layout.kind(step.column));
    const numbers = numeric ? present(frame.numbers[layout.number(step.column)]!) : undefined;
    const texts = numeric ? undefined : frame.strings[layout.string(step.column)]!.filter((v): v is string => v !== null);
    if ((numbers ?? texts)!.length === 0) throw new InputError(`${path}: "${step.column}" has no values in the training rows to take a ${step.strategy} of`, { field: path });
    const value = numbers ? (step.strategy === 'median' ? quantile(numbers, 0.5) : mode(numbers)) : mode(texts!);
    return { ...step, value };
  },
  compile(step, layout) {
    const indicator = step.indicator === undefined ? -1 : layout.number(step.indicator);
    if (storedAsNumber(layout.kind(step.column))) {
      const slot = layout.number(step.column);
      const value = step.value as number;
      return (frame, row) => {
        const column = frame.numbers[slot]!;
        const missing = Number.isNaN(column[row]!);
        if (indicator >= 0) frame.numbers[indicator]![row] = missing ? 1 : 0;
        if (missing) column[row] = value;
      };
    }
    const slot = layout.string(step.column);
    const value = String(step.value);
    return (frame, row) => {
      const column = frame.strings[slot]!;
      const missing = column[row] === null;
      if (indicator >= 0) frame.numbers[indicator]![row] = missing ? 1 : 0;
      if (missing) column[row] = value;
    };
  },
};

/** log(1 + x); x ≤ −1 has no logarithm and becomes missing. */
export const log1p: ColumnStep<Step<'log1p'>> = {
  reads: (step) => [step.column],
  writes: (step) => [step.column],
  compile(step, layout) {
    const slot = layout.number(step.column);
    return (frame, row) => {
      const column = frame.numbers[slot]!;
      const x = column[row]!;
      column[row] = x > -1 ? Math.log1p(x) : NaN;
    };
  },
};

/** Clips to bounds learned as quantiles of the training rows; missing stays missing. */
export const clip: ColumnStep<Step<'clip'>> = {
  reads: (step) => [step.column],
  writes: (step) => [step.column],
  fit(step, frame, layout, path) {
    const values = present(frame.numbers[layout.number(step.column)]!).sort();
    if (values.length === 0) throw new InputError(`${path}: "${step.column}" has no values in the training rows to take quantiles of`, { field: path });
    return { ...step, low: quantile(values, step.quantiles[0]), high: quantile(values, step.quantiles[1]) };
  },
  compile(step, layout) {
    const slot = layout.number(step.column);
    const { low, high } = step;
    return (frame, row) => {
      const column = frame.numbers[slot]!;
      const x = column[row]!;
      if (x < low) column[row] = low;
      else if (x > high) column[row] = high;
    };
  },
};

/** numerator / denominator; missing when either is, or when the denominator is 0. */
export const ratio: ColumnStep<Step<'ratio'>> = {
  reads: (step) => [step.numerator, step.denominator],
  writes: (step) => [step.as],
  compile(step, layout) {
    const [numerator, denominator, out] = [layout.number(step.numerator), layout.number(step.denominator), layout.number(step.as)];
    return (frame, row) => {
      const d = frame.numbers[denominator]![row]!;
      const value = frame.numbers[numerator]![row]! / d;
      frame.numbers[out]![row] = d === 0 || !Number.isFinite(value) ? NaN : value;
    };
  },
};

/** The values that are not missing. */
function present(column: Float64Array): Float64Array {
  let count = 0;
  for (const x of column) if (!Number.isNaN(x)) count++;
  const out = new Float64Array(count);
  let i = 0;
  for (const x of column) if (!Number.isNaN(x)) out[i++] = x;
  return out;
}

/** The q-quantile of sorted or unsorted values, by linear interpolation between order statistics (numpy's default). */
export function quantile(values: Float64Array, q: number): number {
  const sorted = isSorted(values) ? values : Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

function isSorted(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** The most frequent value; ties go to the smallest, so the answer does not depend on row order. */
function mode<T extends number | string>(values: ArrayLike<T>): T {
  const counts = new Map<T, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value < best!)) [best, bestCount] = [value, count];
  }
  return best!;
}
