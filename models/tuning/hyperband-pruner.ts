import { InputError } from '../../lib/errors';
import { crc32 } from './crc32';
import { checkInteger } from './options';
import type { Pruner } from './pruner';
import type { StudyView } from './study-view';
import { createSuccessiveHalvingPruner } from './successive-halving-pruner';
import { lastStep, type Trial, type TrialState } from './trial';

export interface HyperbandPrunerOptions {
  /** Steps before the first rung of the most aggressive bracket ends (default 1). */
  minResource?: number;
  /** The most steps a trial runs, or 'auto': the first completed trials' last step + 1 (default 'auto'). */
  maxResource?: number | 'auto';
  /** Default 3. */
  reductionFactor?: number;
  /** Default 0; needs an explicit maxResource. */
  bootstrapCount?: number;
}

const MAX_RESOURCE_ATTR = 'hyperband:max_resource';

interface Brackets {
  pruners: Pruner[];
  budgets: number[];
  total: number;
}

/**
 * Hyperband (Optuna's `HyperbandPruner`): several successive-halving brackets with different minimum early
 * stopping rates; each trial belongs to one bracket, chosen by crc32(`${study name}_${trial number}`) weighted
 * by the bracket's budget, and competes only with the trials of its bracket. An 'auto' maximum resource, once
 * known, is kept in the study's attributes.
 *
 * @example createHyperbandPruner({ minResource: 1, maxResource: 300, reductionFactor: 3 })
 */
export function createHyperbandPruner(options: HyperbandPrunerOptions = {}): Pruner {
  const owner = 'hyperband pruner';
  const minResource = checkInteger(owner, 'minResource', options.minResource ?? 1, 1);
  const maxResourceOption = options.maxResource ?? 'auto';
  if (maxResourceOption !== 'auto') checkInteger(owner, 'maxResource', maxResourceOption, minResource);
  const reductionFactor = checkInteger(owner, 'reductionFactor', options.reductionFactor ?? 3, 2);
  const bootstrapCount = checkInteger(owner, 'bootstrapCount', options.bootstrapCount ?? 0, 0);
  if (bootstrapCount > 0 && maxResourceOption === 'auto') {
    throw new InputError(`${owner}: bootstrapCount (${bootstrapCount}) needs an explicit maxResource, not 'auto'`, { option: 'bootstrapCount' });
  }
  const cache = new Map<number, Brackets>();

  const bracketsFor = (maxResource: number): Brackets => {
    const cached = cache.get(maxResource);
    if (cached) return cached;
    const nBrackets = Math.floor(Math.log(maxResource / minResource) / Math.log(reductionFactor)) + 1;
    const budgets = Array.from({ length: nBrackets }, (_, id) => {
      const s = nBrackets - 1 - id;
      return Math.ceil((nBrackets * reductionFactor ** s) / (s + 1));
    });
    const pruners = budgets.map((_, id) => createSuccessiveHalvingPruner({ minResource, reductionFactor, minEarlyStoppingRate: id, bootstrapCount }));
    const brackets = { pruners, budgets, total: budgets.reduce((a, b) => a + b, 0) };
    cache.set(maxResource, brackets);
    return brackets;
  };

  const maxResourceOf = (study: StudyView): number | null => {
    if (maxResourceOption !== 'auto') return maxResourceOption;
    const stored = study.getStudyAttrs()[MAX_RESOURCE_ATTR];
    if (typeof stored === 'number') return stored;
    const steps = study.getTrials(['COMPLETE']).map(lastStep).filter((s): s is number => s !== null);
    if (steps.length === 0) return null;
    const estimated = Math.max(...steps) + 1;
    study.setStudyAttr(MAX_RESOURCE_ATTR, estimated);
    return estimated;
  };

  const bracketOf = (study: StudyView, brackets: Brackets, number: number): number => {
    let n = crc32(`${study.name}_${number}`) % brackets.total;
    for (let id = 0; id < brackets.budgets.length; id++) {
      n -= brackets.budgets[id]!;
      if (n < 0) return id;
    }
    return brackets.budgets.length - 1;
  };

  return {
    spec: { type: 'hyperband', minResource, maxResource: maxResourceOption, reductionFactor, bootstrapCount },
    prune(study: StudyView, trial: Trial): boolean {
      const maxResource = maxResourceOf(study);
      if (maxResource === null) return false;
      const brackets = bracketsFor(maxResource);
      const bracket = bracketOf(study, brackets, trial.number);
      // The bracket's successive halving sees only the trials of its own bracket.
      const bracketStudy: StudyView = {
        name: study.name,
        direction: study.direction,
        space: study.space,
        getTrials: (states?: readonly TrialState[]) => study.getTrials(states).filter((t) => bracketOf(study, brackets, t.number) === bracket),
        getStudyAttrs: () => study.getStudyAttrs(),
        setStudyAttr: (key, value) => study.setStudyAttr(key, value),
        setTrialSystemAttr: (number, key, value) => study.setTrialSystemAttr(number, key, value),
      };
      return brackets.pruners[bracket]!.prune(bracketStudy, trial);
    },
  };
}
