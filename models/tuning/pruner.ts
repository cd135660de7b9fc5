import type { JsonValue } from './json';
import type { StudyView } from './study-view';
import type { Trial } from './trial';

/** A pruner's configuration as JSON (`createPruner(spec)` rebuilds it). */
export interface PrunerSpec {
  readonly type: string;
  readonly [option: string]: JsonValue;
}

/**
 * Decides from a running trial's intermediate values whether to stop it, as Optuna's `BasePruner`.
 * Any memory (completed rungs, an estimated resource) lives in trial or study attributes, never in the
 * pruner, so decisions survive a restore.
 */
export interface Pruner {
  readonly spec: PrunerSpec;
  prune(study: StudyView, trial: Trial): boolean;
}
