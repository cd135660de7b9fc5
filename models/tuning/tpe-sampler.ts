// TPE as Optuna's TPESampler defines it (optuna/samplers/_tpe/sampler.py): below n_startup_trials finished
// trials, uniform random; after, split the finished trials into the best gamma(n) ("below", l(x)) and the
// rest ("above", g(x)), fit a Parzen estimator to each, draw n_ei_candidates from l and keep the one with
// the largest log l(x) − log g(x).
import { isSingle, toExternal, toInternal, type Distribution, type ParamValue, type Params } from './distributions';
import { sortedKeys } from './json';
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

/** Indices 0…n−1 sorted by key, ties by index (a stable sort, like Python's `sorted`). */
function argsort(keys: Float64Array | number[], secondary?: Float64Array): number[] {
  const order = Array.from({ length: keys.length }, (_, i) => i);
  return order.sort((i, j) => {
    const a = keys[i]!;
    const b = keys[j]!;
    if (a !== b) return a < b ? -1 : 1;
    if (secondary && secondary[i] !== secondary[j]) return secondary[i]! < secondary[j]! ? -1 : 1;
    return i - j;
  });
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
  const completeKeys = Float64Array.from(complete, (t) => (maximize ? -t.value! : t.value!));
  const nComplete = Math.min(nBelow, complete.length);
  for (const i of argsort(completeKeys).slice(0, nComplete)) isBelow.add(complete[i]!.number);
  const nPruned = Math.min(Math.max(0, nBelow - nComplete), pruned.length);
  if (nPruned > 0) {
    const scores = pruned.map((t) => prunedScore(t, maximize));
    const steps = Float64Array.from(scores, (score) => score[0]);
    const values = Float64Array.from(scores, (score) => score[1]);
    for (const i of argsort(steps, values).slice(0, nPruned)) isBelow.add(pruned[i]!.number);
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
    multivariate,
  };

  const startupDone = (study: StudyView) => study.getTrials(FINISHED_FOR_TPE).length >= nStartupTrials;

  const observationsOf = (trials: readonly Trial[], space: Record<string, Distribution>, names: string[]) => {
    const values: Record<string, number[]> = {};
    for (const name of names) values[name] = [];
    // Plain loops: this runs per trial on every suggestion.
    for (const trial of trials) {
      let complete = true;
      for (const name of names) if (!(name in trial.params)) complete = false;
      if (!complete) continue;
      for (const name of names) values[name]!.push(toInternal(space[name]!, trial.params[name]!));
    }
    return values;
  };

  // The split is the same for every parameter of one trial (nothing is told while a trial is being
  // sampled): remember the last one. Keyed by study, trial, and trial and finished counts, so it never serves stale data.
  let lastSplit: { study: StudyView; number: number; count: number; split: { below: Trial[]; above: Trial[] } } | undefined;
  const splitFor = (study: StudyView, trial: Trial, states: readonly TrialState[]) => {
    const trials = study.getTrials(states).filter((t) => t.number !== trial.number);
    let n = 0;
    for (const t of trials) if (t.state !== 'RUNNING') n++;
    const count = study.getTrials().length * 1e6 + n;
    if (lastSplit && lastSplit.study === study && lastSplit.number === trial.number && lastSplit.count === count) return lastSplit.split;
    const split = splitTrials(trials, defaultGamma(n), study.direction === 'maximize');
    lastSplit = { study, number: trial.number, count, split };
    return split;
  };

  const sample = (study: StudyView, trial: Trial, space: Record<string, Distribution>): Record<string, ParamValue> => {
    const names = sortedKeys(space);
    const ordered = Object.fromEntries(names.map((name) => [name, space[name]!]));
    const states: readonly TrialState[] = constantLiar ? ['COMPLETE', 'PRUNED', 'RUNNING'] : FINISHED_FOR_TPE;
    const { below, above } = splitFor(study, trial, states);
    const estimatorBelow = new ParzenEstimator(observationsOf(below, ordered, names), ordered, parameters);
    const estimatorAbove = new ParzenEstimator(observationsOf(above, ordered, names), ordered, parameters);
    const samples = estimatorBelow.sample(deriveRandom(seed, 'tpe', trial.number, names.join('\u0000')), nEiCandidates);
    const logBelow = estimatorBelow.logPdf(samples);
    const logAbove = estimatorAbove.logPdf(samples);
    let best = 0;
    for (let i = 1; i < nEiCandidates; i++) if (logBelow[i]! - logAbove[i]! > logBelow[best]! - logAbove[best]!) best = i;
    return Object.fromEntries(names.map((name) => [name, toExternal(ordered[name]!, samples[name]![best]!)]));
  };

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
      if (Object.keys(space).length === 0 || !startupDone(study)) return {};
      return sample(study, trial, space);
    },
    sampleIndependent(study: StudyView, trial: Trial, name: string, distribution: Distribution): ParamValue {
      if (!startupDone(study)) return sampleUniform(distribution, deriveRandom(seed, 'startup', trial.number, name));
      return sample(study, trial, { [name]: distribution })[name]!;
    },
  };
}
