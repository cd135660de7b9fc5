import type { Study } from './study';

/** Why a study launches no further trial. */
export type StopReason = 'trials' | 'timeout' | 'patience' | 'signal' | 'exhausted';

export interface StudyBudget {
  /** Trials in all, enqueued and failed ones included (as Optuna's n_trials). */
  trials: number;
  /** Stop after this many finished trials without a better value; 0 never stops early. */
  patience: number;
}

export interface BudgetState {
  stopRequested: boolean;
  /** The wall-time budget ran out (in a workflow, a durable timer said so). */
  timedOut: boolean;
  /** Finished trials since the last improvement of the best value. */
  sinceImprovement: number;
}

/** Why the study must not start another trial, or null while its budget lasts; the first reason that holds. */
export function budgetStop(study: Pick<Study, 'getTrials' | 'isExhausted'>, budget: StudyBudget, state: BudgetState): StopReason | null {
  if (state.stopRequested) return 'signal';
  if (study.getTrials().length >= budget.trials) return 'trials';
  if (state.timedOut) return 'timeout';
  if (budget.patience > 0 && state.sinceImprovement >= budget.patience) return 'patience';
  if (study.isExhausted()) return 'exhausted';
  return null;
}
