import type { Distribution, ParamValue, Params } from './distributions';
import type { JsonValue } from './json';
import type { StudyView } from './study-view';
import type { Trial } from './trial';

/** A sampler's configuration as JSON: enough to rebuild it after a restore (`createSampler(spec)`). */
export interface SamplerSpec {
  readonly type: string;
  readonly [option: string]: JsonValue;
}

/**
 * Proposes parameter values, as Optuna's `BaseSampler`: a joint ("relative") proposal for the parameters
 * every finished trial shares, then one value at a time ("independent") for the rest.
 *
 * Implementations must be pure: every draw comes from `deriveRandom(seed, trial.number, …)` and the
 * trials in `study`, never from hidden state, so a restored study proposes exactly what the original would.
 */
export interface Sampler {
  readonly spec: SamplerSpec;
  /** Called once when a trial starts, before any sampling (the grid sampler claims a grid point here). */
  beforeTrial?(study: StudyView, trial: Trial): void;
  inferRelativeSearchSpace(study: StudyView, trial: Trial): Record<string, Distribution>;
  sampleRelative(study: StudyView, trial: Trial, space: Record<string, Distribution>): Params;
  sampleIndependent(study: StudyView, trial: Trial, name: string, distribution: Distribution): ParamValue;
  /** True when the sampler has nothing new to propose (a finished grid). */
  isExhausted?(study: StudyView): boolean;
}
