import type { Params } from './distributions';
import type { JsonValue } from './json';
import type { Trial, TrialJson, TrialState } from './trial';

export interface NewTrial {
  state: 'WAITING' | 'RUNNING';
  systemAttrs?: Record<string, JsonValue>;
  startedAt?: number | null;
}

/** A change to one trial; `intermediate` adds one step (a step already reported is kept, as Optuna does). */
export interface TrialPatch {
  state?: TrialState;
  params?: Params;
  value?: number | null;
  intermediate?: { step: number; value: number };
  systemAttrs?: Record<string, JsonValue>;
  startedAt?: number | null;
  completedAt?: number | null;
}

export interface TrialStoreSnapshot {
  studyAttrs: Record<string, JsonValue>;
  trials: TrialJson[];
}

/**
 * Where a study keeps its trials. Deliberately synchronous: the sampler runs inside a Temporal workflow,
 * which holds the study in memory (`createMemoryTrialStore`), carries `snapshot()` across continue-as-new
 * and mirrors changed trials into the database through an activity. Outside a workflow,
 * `openDatabaseTrialStore` (db/) keeps a study in the database: it reads from memory and writes through.
 */
export interface TrialStore {
  /** Trials in number order, optionally only those in `states`. */
  getTrials(states?: readonly TrialState[]): readonly Trial[];
  /** Throws `NotFoundError` for an unknown number. */
  getTrial(number: number): Trial;
  /** Appends a trial numbered after the last one. */
  createTrial(init: NewTrial): Trial;
  /**
   * Applies `patch` if the trial is still in state `expected`, else throws `ConflictError` (a second
   * `tell` for the same trial, a retried activity reporting after the trial was pruned).
   */
  updateTrial(number: number, expected: TrialState, patch: TrialPatch): Trial;
  getStudyAttrs(): Readonly<Record<string, JsonValue>>;
  setStudyAttr(key: string, value: JsonValue): void;
  /** Everything, JSON-safe, keys sorted. */
  snapshot(): TrialStoreSnapshot;
}
