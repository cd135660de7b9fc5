// TPE as Optuna's TPESampler defines it (optuna/samplers/_tpe/sampler.py): below n_startup_trials finished
// trials, uniform random; after, split the finished trials into the best gamma(n) ("below", l(x)) and the
// rest ("above", g(x)), fit a Parzen estimator to each, draw n_ei_candidates from l and keep the one with
// the largest log l(x) − log g(x).
import { isSingle, toExternal, toInternal, type Distribution, type ParamValue, type Params } from './distributions';
import { sortedKeys } from './json';
import { float64Of } from './float64';
import { checkBoolean, checkInteger, checkNumber, checkSeed } from './options';
import { ParzenEstimator, type ParzenEstimatorParameters } from './parzen-estimator';
import { deriveRandom } from './rng';
import type { Sampler } from './sampler';
import type { StudyView } from './study-view';
import { lastStep, type Trial, type TrialState } from './trial';
import { sampleUniform } from './uniform';

export interface TpeSamplerOptions {
  seed: number;
  /** Random trials before TPE starts (default 10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per suggestion (default 24). */
  nEiCandidates?: number;
  /** Weight of the prior kernel (default 1). */
  priorWeight?: number;
  /** Floor kernel widths at range / min(100, n + 2) (default true). */
  considerMagicClip?: boolean;
  /** Let the outermost kernels' widths reach to the bounds (default false). */
  considerEndpoints?: boolean;
  /** One joint estimator over the parameters all finished trials share (default false). */
  multivariate?: boolean;
  /** Count running trials among the "above" group, so parallel workers spread out (default false). */
  constantLiar?: boolean;
}

/** Optuna's `default_gamma`: the best 10% of trials, at most 25, form l(x). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

const FINISHED_FOR_TPE: readonly TrialState[] = ['COMPLETE', 'PRUNED'];

/** Pruned trials rank by how far they got, then by their last value (Optuna's `_get_pruned_trial_score`). */
function prunedScore(trial: Trial, maximize: boolean): [number, number] {
  const step = lastStep(trial);
  if (step === null) return [1, 0];
  const value = trial.intermediateValues[step]!;
  if (Number.isNaN(value)) return [-step, Infinity];
  return [-step, maximize ? -value : value];
}

/**
 * The indices of the `k` smallest keys, ties by `secondary`, then by index (as a stable sort would order
 * them), in that order: `argsort(keys).slice(0, k)` without sorting them all, since k ≤ 25 of thousands.
 */
export function smallestIndices(k: number, keys: Float64Array, secondary?: Float64Array): number[] {
  const best: number[] = [];
  const before = (i: number, j: number) =>
    keys[i]! < keys[j]! || (keys[i] === keys[j] && (secondary !== undefined && secondary[i] !== secondary[j] ? secondary[i]! < secondary[j]! : i < j));
  for (let i = 0; i < keys.length && k > 0; i++) {
    if (best.length === k && !before(i, best[k - 1]!)) continue;
    let position = best.length === k ? k - 1 : best.length;
    while (position > 0 && before(i, best[position - 1]!)) {
      best[position] = best[position - 1]!;
      position--;
    }
    best[position] = i;
  }
  return best;
}

/** Optuna's `_split_trials` (single objective, no constraints): both groups come back in trial-number order. */
export function splitTrials(trials: readonly Trial[], nBelow: number, maximize: boolean): { below: Trial[]; above: Trial[] } {
  const complete: Trial[] = [];
  const pruned: Trial[] = [];
  for (const t of trials) {
    if (t.state === 'COMPLETE') complete.push(t);
    else if (t.state === 'PRUNED') pruned.push(t);
  }
  const isBelow = new Set<number>();
  const completeKeys = float64Of(complete, (t) => (maximize ? -t.value! : t.value!));
  const nComplete = Math.min(nBelow, complete.length);
  for (const i of smallestIndices(nComplete, completeKeys)) isBelow.add(complete[i]!.number);
  const nPruned = Math.min(Math.max(0, nBelow - nComplete), pruned.length);
  if (nPruned > 0) {
    const scores = pruned.map((t) => prunedScore(t, maximize));
    const steps = float64Of(scores, (score) => score[0]);
    const values = float64Of(scores, (score) => score[1]);
    for (const i of smallestIndices(nPruned, steps, values)) isBelow.add(pruned[i]!.number);
  }
  const below: Trial[] = [];
  const above: Trial[] = [];
  // `trials` is in number order and running trials always go above.
  for (const t of trials) (isBelow.has(t.number) ? below : above).push(t);
  return { below, above };
}

/**
 * The Tree-structured Parzen Estimator sampler, seeded and pure.
 *
 * @example createTpeSampler({ seed: 42 })                                    // Optuna's defaults
 * @example createTpeSampler({ seed: 42, multivariate: true, constantLiar: true })  // parallel trials
 */
export function createTpeSampler(options: TpeSamplerOptions): Sampler {
  const owner = 'TPE sampler';
  const seed = checkSeed(owner, options.seed);
  const nStartupTrials = checkInteger(owner, 'nStartupTrials', options.nStartupTrials ?? 10, 0);
  const nEiCandidates = checkInteger(owner, 'nEiCandidates', options.nEiCandidates ?? 24, 1);
  const multivariate = checkBoolean(owner, 'multivariate', options.multivariate ?? false);
  const constantLiar = checkBoolean(owner, 'constantLiar', options.constantLiar ?? false);
  const parameters: ParzenEstimatorParameters = {
    priorWeight: checkNumber(owner, 'priorWeight', options.priorWeight ?? 1, 0),
    considerMagicClip: checkBoolean(owner, 'considerMagicClip', options.considerMagicClip ?? true),
    considerEndpoints: checkBoolean(owner, 'considerEndpoints', options.considerEndpoints ?? false),
  };

  /**
   * What every parameter of one suggestion shares, computed once per `ask()`: the finished count, the
   * below/above split, and each group's observations per parameter. Keyed by study and trial: a trial is
   * sampled within its own `ask()`, while nothing is told, so the key never serves another suggestion's data.
   */
  interface Suggestion {
    study: StudyView;
    number: number;
    finished: number;
    split: { below: Trial[]; above: Trial[] };
    observations: Map<string, { below: Float64Array; above: Float64Array }>;
  }
  let last: Suggestion | undefined;
  const suggestionFor = (study: StudyView, trial: Trial): Suggestion => {
    if (last && last.study === study && last.number === trial.number) return last;
    const states: readonly TrialState[] = constantLiar ? ['COMPLETE', 'PRUNED', 'RUNNING'] : FINISHED_FOR_TPE;
    const trials = study.getTrials(states).filter((t) => t.number !== trial.number);
    let finished = 0;
    for (const t of trials) if (t.state !== 'RUNNING') finished++;
    const split = splitTrials(trials, defaultGamma(finished), study.direction === 'maximize');
    last = { study, number: trial.number, finished, split, observations: new Map() };
    return last;
  };

  /** Internal values of one parameter, over the trials that have it (and every other of `names`). */
  const valuesOf = (trials: readonly Trial[], name: string, distribution: Distribution, names: readonly string[]): Float64Array => {
    const values = new Float64Array(trials.length);
    let count = 0;
    // Plain loops: this runs per trial on every suggestion.
    for (const trial of trials) {
      const value = trial.params[name];
      if (value === undefined) continue;
      let complete = true;
      if (names.length > 1) for (const other of names) if (trial.params[other] === undefined) complete = false;
      if (complete) values[count++] = distribution.type === 'categorical' ? toInternal(distribution, value) : (value as number);
    }
    return values.subarray(0, count);
  };
  const observationsOf = (suggestion: Suggestion, space: Record<string, Distribution>, names: string[]) => {
    const below: Record<string, Float64Array> = {};
    const above: Record<string, Float64Array> = {};
    for (const name of names) {
      // One parameter alone (univariate) is cached for the suggestion; a joint set depends on its members.
      const key = names.length === 1 ? name : `${names.join('\u0000')}\u0000${name}`;
      let cached = suggestion.observations.get(key);
      if (!cached) {
        cached = { below: valuesOf(suggestion.split.below, name, space[name]!, names), above: valuesOf(suggestion.split.above, name, space[name]!, names) };
        suggestion.observations.set(key, cached);
      }
      below[name] = cached.below;
      above[name] = cached.above;
    }
    return { below, above };
  };

  const sample = (study: StudyView, trial: Trial, space: Record<string, Distribution>): Record<string, ParamValue> => {
    const names = sortedKeys(space);
    const ordered = Object.fromEntries(names.map((name) => [name, space[name]!]));
    const observations = observationsOf(suggestionFor(study, trial), ordered, names);
    const estimatorBelow = new ParzenEstimator(observations.below, ordered, parameters);
    const estimatorAbove = new ParzenEstimator(observations.above, ordered, parameters);
    const samples = estimatorBelow.sample(deriveRandom(seed, 'tpe', trial.number, names.join('\u0000')), nEiCandidates);
    const logBelow = estimatorBelow.logPdf(samples);
    const logAbove = estimatorAbove.logPdf(samples);
    let best = 0;
    for (let i = 1; i < nEiCandidates; i++) if (logBelow[i]! - logAbove[i]! > logBelow[best]! - logAbove[best]!) best = i;
    return Object.fromEntries(names.map((name) => [name, toExternal(ordered[name]!, samples[name]![best]!)]));
  };
  const startupDone = (study: StudyView, trial: Trial) => suggestionFor(study, trial).finished >= nStartupTrials;

  return {
    spec: {
      type: 'tpe', seed, nStartupTrials, nEiCandidates, priorWeight: parameters.priorWeight,
      considerMagicClip: parameters.considerMagicClip, considerEndpoints: parameters.considerEndpoints, multivariate, constantLiar,
    },
    inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
      if (!multivariate) return {};
      // Optuna's IntersectionSearchSpace(include_pruned=True): parameters every finished trial has.
      const trials = study.getTrials(FINISHED_FOR_TPE);
      if (trials.length === 0) return {};
      const space: Record<string, Distribution> = {};
      for (const name of sortedKeys(study.space.params)) {
        const distribution = study.space.params[name]!.distribution;
        if (!isSingle(distribution) && trials.every((t) => name in t.params)) space[name] = distribution;
      }
      return space;
    },
    sampleRelative(study: StudyView, trial: Trial, space: Record<string, Distribution>): Params {
      if (Object.keys(space).length === 0 || !startupDone(study, trial)) return {};
      return sample(study, trial, space);
    },
    sampleIndependent(study: StudyView, trial: Trial, name: string, distribution: Distribution): ParamValue {
      if (!startupDone(study, trial)) return sampleUniform(distribution, deriveRandom(seed, 'startup', trial.number, name));
      return sample(study, trial, { [name]: distribution })[name]!;
    },
  };
}
