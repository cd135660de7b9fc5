import { InputError } from '../../lib/errors';
import { decodeNumber, encodeNumber, type JsonNumber, type JsonValue } from './json';
import { checkInteger } from './options';
import type { Pruner } from './pruner';
import type { StudyView } from './study-view';
import { lastStep, type Direction, type Trial } from './trial';

export interface SuccessiveHalvingPrunerOptions {
  /** Steps before the first rung ends, or 'auto': the longest completed trial's last step / 100 (default 'auto'). */
  minResource?: number | 'auto';
  /** About 1 / reductionFactor of the trials reaching a rung go on (default 4). */
  reductionFactor?: number;
  /** Rung 0 ends at minResource × reductionFactor^minEarlyStoppingRate (default 0). */
  minEarlyStoppingRate?: number;
  /** Trials that must reach a rung before any is promoted from it (default 0). */
  bootstrapCount?: number;
}

const MIN_RESOURCE_ATTR = 'successive_halving:min_resource';

export function completedRungKey(rung: number): string {
  return `completed_rung_${rung}`;
}

function isRungValue(value: JsonValue | undefined): value is JsonNumber {
  return typeof value === 'number' || value === 'Infinity' || value === '-Infinity';
}

function currentRung(trial: Trial): number {
  let rung = 0;
  while (completedRungKey(rung) in trial.systemAttrs) rung++;
  return rung;
}

/** Optuna's `_estimate_min_resource`: the longest completed trial's last step / 100, at least 1. */
function estimateMinResource(study: StudyView): number | null {
  const steps = study.getTrials(['COMPLETE']).map(lastStep).filter((s): s is number => s !== null);
  return steps.length === 0 ? null : Math.max(Math.floor(Math.max(...steps) / 100), 1);
}

function isPromotable(value: number, competing: number[], reductionFactor: number, direction: Direction): boolean {
  let promotableIndex = Math.floor(competing.length / reductionFactor) - 1;
  // Trials cannot be paused and resumed, so the first few are promoted if they are the best so far.
  if (promotableIndex === -1) promotableIndex = 0;
  const sorted = [...competing].sort((a, b) => a - b);
  return direction === 'maximize' ? value >= sorted[sorted.length - 1 - promotableIndex]! : value <= sorted[promotableIndex]!;
}

/**
 * Asynchronous Successive Halving (Optuna's `SuccessiveHalvingPruner`): at the end of each rung a trial goes
 * on only if its value ranks in the top 1 / reductionFactor of the values other trials had there. Completed
 * rungs are recorded in the trial's system attributes (`completed_rung_<k>`); an 'auto' minimum resource, once
 * estimated, is kept in the study's attributes so a restored study decides the same way.
 *
 * @example createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 })
 */
export function createSuccessiveHalvingPruner(options: SuccessiveHalvingPrunerOptions = {}): Pruner {
  const owner = 'successive halving pruner';
  const minResourceOption = options.minResource ?? 'auto';
  if (minResourceOption !== 'auto') checkInteger(owner, 'minResource', minResourceOption, 1);
  const reductionFactor = checkInteger(owner, 'reductionFactor', options.reductionFactor ?? 4, 2);
  const minEarlyStoppingRate = checkInteger(owner, 'minEarlyStoppingRate', options.minEarlyStoppingRate ?? 0, 0);
  const bootstrapCount = checkInteger(owner, 'bootstrapCount', options.bootstrapCount ?? 0, 0);
  if (bootstrapCount > 0 && minResourceOption === 'auto') {
    throw new InputError(`${owner}: bootstrapCount (${bootstrapCount}) needs an explicit minResource, not 'auto'`, { option: 'bootstrapCount' });
  }
  const attrKey = `${MIN_RESOURCE_ATTR}:${minEarlyStoppingRate}`;

  const minResourceOf = (study: StudyView): number | null => {
    if (minResourceOption !== 'auto') return minResourceOption;
    const stored = study.getStudyAttrs()[attrKey];
    if (typeof stored === 'number') return stored;
    const estimated = estimateMinResource(study);
    if (estimated !== null) study.setStudyAttr(attrKey, estimated);
    return estimated;
  };

  return {
    spec: { type: 'successive-halving', minResource: minResourceOption, reductionFactor, minEarlyStoppingRate, bootstrapCount },
    prune(study: StudyView, trial: Trial): boolean {
      const step = lastStep(trial);
      if (step === null) return false;
      let rung = currentRung(trial);
      const value = trial.intermediateValues[step]!;
      const others = study.getTrials().filter((t) => t.number !== trial.number);
      for (;;) {
        const minResource = minResourceOf(study);
        if (minResource === null) return false;
        const rungPromotionStep = minResource * reductionFactor ** (minEarlyStoppingRate + rung);
        if (step < rungPromotionStep) return false;
        if (Number.isNaN(value)) return true;
        const key = completedRungKey(rung);
        // Encoded: a rung value may be ±Infinity, which plain JSON would turn into null.
        study.setTrialSystemAttr(trial.number, key, encodeNumber(value));
        const competing = others.map((t) => t.systemAttrs[key]).filter(isRungValue).map(decodeNumber);
        competing.push(value);
        if (competing.length <= bootstrapCount) return true;
        if (!isPromotable(value, competing, reductionFactor, study.direction)) return true;
        rung++;
      }
    },
  };
}
