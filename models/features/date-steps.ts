import type { ColumnStep } from './column-step';
import { datePartsInto, daysBetween } from './dates';
import type { FittedStep } from './state';

type Step<T extends FittedStep['type']> = Extract<FittedStep, { type: T }>;

/** end − start in days, as a new numeric column. */
export const daysBetweenStep: ColumnStep<Step<'days_between'>> = {
  reads: (step) => [step.start, step.end],
  writes: (step) => [step.as],
  compile(step, layout) {
    const [start, end, out] = [layout.number(step.start), layout.number(step.end), layout.number(step.as)];
    return (frame, row) => {
      frame.numbers[out]![row] = daysBetween(frame.numbers[start]![row]!, frame.numbers[end]![row]!);
    };
  },
};

/** Year, month, day, ISO weekday, hour (UTC) or days since the epoch of a date column, as new numeric columns. */
export const datePartsStep: ColumnStep<Step<'date_parts'>> = {
  reads: (step) => [step.column],
  writes: (step) => step.as,
  compile(step, layout) {
    const column = layout.number(step.column);
    const outs = step.as.map((name) => layout.number(name));
    const parts = new Float64Array(step.parts.length);
    return (frame, row) => {
      datePartsInto(frame.numbers[column]![row]!, step.parts, parts);
      for (let i = 0; i < outs.length; i++) frame.numbers[outs[i]!]![row] = parts[i]!;
    };
  },
};
