import { checkInteger, checkNumber } from './options';
import type { Pruner } from './pruner';
import type { StudyView } from './study-view';
import { lastStep, type Direction, type Trial } from './trial';

export interface PercentilePrunerOptions {
  /** Keep trials whose best value so far is within this top percentile (0–100). */
  percentile: number;
  /** No pruning until this many trials have completed (default 5). */
  nStartupTrials?: number;
  /** No pruning before this step (default 0). */
  nWarmupSteps?: number;
  /** Check every this many steps after the warm-up (default 1). */
  intervalSteps?: number;
  /** Judge a step only when at least this many completed trials reported it (default 1). */
  nMinTrials?: number;
}

export type MedianPrunerOptions = Omit<PercentilePrunerOptions, 'percentile'>;

/** NumPy's `nanpercentile` with linear interpolation. */
export function nanPercentile(values: readonly number[], percentile: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = (percentile / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

/** Best intermediate value over the trial's steps, ignoring NaN; NaN when all are NaN. */
export function bestIntermediateValue(trial: Trial, direction: Direction): number {
  const values = Object.values(trial.intermediateValues).filter((v) => !Number.isNaN(v));
  if (values.length === 0) return NaN;
  return direction === 'maximize' ? Math.max(...values) : Math.min(...values);
}

/** True when `step` is the first report at or after the latest pruning checkpoint (Optuna's `_is_first_in_interval_step`). */
function isFirstInIntervalStep(step: number, trial: Trial, warmup: number, interval: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const key of Object.keys(trial.intermediateValues)) {
    const s = Number(key);
    if (s > secondLast && s !== step) secondLast = s;
  }
  return secondLast < nearestLowerPruningStep;
}

/**
 * Prunes a trial whose best intermediate value is worse than the given percentile of the completed trials'
 * values at the same step (Optuna's `PercentilePruner`).
 *
 * @example createPercentilePruner({ percentile: 25, nStartupTrials: 5, nWarmupSteps: 30, intervalSteps: 10 })
 */
export function createPercentilePruner(options: PercentilePrunerOptions, type = 'percentile'): Pruner {
  const owner = `${type} pruner`;
  const percentile = checkNumber(owner, 'percentile', options.percentile, 0, 100);
  const nStartupTrials = checkInteger(owner, 'nStartupTrials', options.nStartupTrials ?? 5, 0);
  const nWarmupSteps = checkInteger(owner, 'nWarmupSteps', options.nWarmupSteps ?? 0, 0);
  const intervalSteps = checkInteger(owner, 'intervalSteps', options.intervalSteps ?? 1, 1);
  const nMinTrials = checkInteger(owner, 'nMinTrials', options.nMinTrials ?? 1, 1);
  return {
    spec: type === 'median' ? { type, nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials } : { type, percentile, nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials },
    prune(study: StudyView, trial: Trial): boolean {
      const completed = study.getTrials(['COMPLETE']);
      if (completed.length === 0 || completed.length < nStartupTrials) return false;
      const step = lastStep(trial);
      if (step === null || step < nWarmupSteps) return false;
      if (!isFirstInIntervalStep(step, trial, nWarmupSteps, intervalSteps)) return false;
      const best = bestIntermediateValue(trial, study.direction);
      if (Number.isNaN(best)) return true;
      const values = completed.filter((t) => step in t.intermediateValues).map((t) => t.intermediateValues[step]!);
      if (values.length < nMinTrials) return false;
      const threshold = nanPercentile(values, study.direction === 'maximize' ? 100 - percentile : percentile);
      if (Number.isNaN(threshold)) return false;
      return study.direction === 'maximize' ? best < threshold : best > threshold;
    },
  };
}

/**
 * The median pruner: `createPercentilePruner` at 50 (Optuna's `MedianPruner`).
 *
 * @example createMedianPruner({ nStartupTrials: 5, nWarmupSteps: 10 })
 */
export function createMedianPruner(options: MedianPrunerOptions = {}): Pruner {
  return createPercentilePruner({ ...options, percentile: 50 }, 'median');
}
