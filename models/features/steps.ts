import type { ColumnStep } from './column-step';
import { datePartsStep, daysBetweenStep } from './date-steps';
import { clip, impute, log1p, ratio } from './numeric-steps';
import type { FittedStep } from './state';
import { textStatsStep } from './text-steps';

const stepKinds: { [T in FittedStep['type']]: ColumnStep<Extract<FittedStep, { type: T }>> } = {
  impute,
  log1p,
  clip,
  ratio,
  days_between: daysBetweenStep,
  date_parts: datePartsStep,
  text_stats: textStatsStep,
};

/** The implementation of a step's type. */
export function columnStep<F extends FittedStep>(step: F): ColumnStep<F> {
  return stepKinds[step.type] as unknown as ColumnStep<F>;
}
