import type { Pruner } from './pruner';

/** Never prunes (Optuna's `NopPruner`). */
export function createNopPruner(): Pruner {
  return { spec: { type: 'none' }, prune: () => false };
}
