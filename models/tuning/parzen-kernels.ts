// The kernels of Optuna's Parzen estimator (samplers/_tpe/parzen_estimator.py): their centres and widths
// per parameter, and the merging of coinciding kernels.
import type { Distribution } from './distributions';

const EPS = 1e-12;

export interface ParzenEstimatorParameters {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  multivariate: boolean;
}

/** Optuna's `default_weights`: older trials beyond the newest 25 ramp linearly from 1/n up to 1. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return Array.from({ length: n }, () => 1);
  const rampLength = n - 25;
  const ramp = Array.from({ length: rampLength }, (_, i) => (rampLength === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (rampLength - 1)));
  return [...ramp, ...Array.from({ length: 25 }, () => 1)];
}

export interface NumericKernels {
  kind: 'numeric';
  mus: number[];
  sigmas: number[];
  /** Bounds in the transformed space (log for log ranges, widened by step/2 for discrete ones). */
  low: number;
  high: number;
  log: boolean;
  step: number | null;
  /** Original bounds, for snapping discrete samples. */
  rawLow: number;
  rawHigh: number;
}

export interface CategoricalKernels {
  kind: 'categorical';
  /** One row of choice probabilities per kernel. */
  weights: number[][];
}

export type Kernels = NumericKernels | CategoricalKernels;

export function categoricalKernels(observations: readonly number[], distribution: Extract<Distribution, { type: 'categorical' }>, parameters: ParzenEstimatorParameters): CategoricalKernels {
  const nChoices = distribution.choices.length;
  if (observations.length === 0) return { kind: 'categorical', weights: [Array.from({ length: nChoices }, () => 1 / nChoices)] };
  const nKernels = observations.length + 1;
  const weights = Array.from({ length: nKernels }, () => Array.from({ length: nChoices }, () => parameters.priorWeight / nKernels));
  observations.forEach((index, row) => (weights[row]![index]! += 1));
  for (const row of weights) {
    const sum = row.reduce((a, b) => a + b, 0);
    if (sum !== 0) for (let i = 0; i < row.length; i++) row[i]! /= sum;
  }
  return { kind: 'categorical', weights };
}

export function numericKernels(observations: readonly number[], distribution: Exclude<Distribution, { type: 'categorical' }>, parameters: ParzenEstimatorParameters, dimensions: number): NumericKernels {
  const { step, log } = distribution;
  let low = distribution.low - (step ?? 0) / 2;
  let high = distribution.high + (step ?? 0) / 2;
  const mus = log ? observations.map(Math.log) : [...observations];
  if (log) {
    low = Math.log(low);
    high = Math.log(high);
  }
  const n = mus.length;
  let sigmas: number[];
  if (parameters.multivariate) {
    const sigma = 0.2 * Math.max(n, 1) ** (-1 / (dimensions + 4)) * (high - low);
    sigmas = mus.map(() => sigma);
  } else {
    // Each kernel is as wide as the larger gap to its sorted neighbours (the prior's centre counts as a
    // neighbour, the bounds too); the outermost kernels ignore the bounds unless considerEndpoints.
    const withPrior = [...mus, 0.5 * (low + high)];
    const keys = Float64Array.from(withPrior);
    const order = Array.from({ length: keys.length }, (_, i) => i).sort((i, j) => keys[i]! - keys[j]! || i - j);
    const points = [low, ...order.map((i) => withPrior[i]!), high];
    const sorted = order.map((_, k) => Math.max(points[k + 1]! - points[k]!, points[k + 2]! - points[k + 1]!));
    if (!parameters.considerEndpoints && points.length >= 4) {
      sorted[0] = points[2]! - points[1]!;
      sorted[sorted.length - 1] = points[points.length - 2]! - points[points.length - 3]!;
    }
    sigmas = new Array<number>(withPrior.length);
    order.forEach((original, k) => (sigmas[original] = sorted[k]!));
    sigmas = sigmas.slice(0, n);
  }
  const maxSigma = high - low;
  const minSigma = parameters.considerMagicClip ? (high - low) / Math.min(100, 1 + (n + 1)) : EPS;
  sigmas = sigmas.map((sigma) => Math.min(Math.max(sigma, minSigma), maxSigma));
  return {
    kind: 'numeric', mus: [...mus, 0.5 * (low + high)], sigmas: [...sigmas, high - low],
    low, high, log, step, rawLow: distribution.low, rawHigh: distribution.high,
  };
}

/**
 * Kernels of a discrete parameter collapse onto few distinct (mu, sigma) pairs (observations sit on the
 * grid; narrow kernels all get the clipped width): evaluate each pair once per candidate, not each kernel.
 */
export interface DistinctKernels {
  /** Kernel index → index of its distinct (mu, sigma) pair. */
  pairOf: Int32Array;
  /** One kernel index standing for each distinct pair. */
  representatives: number[];
}

export function distinctKernels(kernels: NumericKernels): DistinctKernels {
  const seen = new Map<number, Map<number, number>>();
  const pairOf = new Int32Array(kernels.mus.length);
  const representatives: number[] = [];
  for (let k = 0; k < kernels.mus.length; k++) {
    const mu = kernels.mus[k]!;
    const sigma = kernels.sigmas[k]!;
    let bySigma = seen.get(mu);
    if (!bySigma) seen.set(mu, (bySigma = new Map()));
    let pair = bySigma.get(sigma);
    if (pair === undefined) {
      pair = representatives.length;
      bySigma.set(sigma, pair);
      representatives.push(k);
    }
    pairOf[k] = pair;
  }
  return { pairOf, representatives };
}

/**
 * One discrete or categorical parameter: kernels that coincide (same grid value, same width; same observed
 * choice) merge into one with their summed weight. The mixture's density and sampling distribution are
 * unchanged; the work per candidate drops from one term per trial to one per distinct value.
 */
export function mergeIdentical(kernels: Kernels[], weights: number[], observations: readonly number[]): { kernels: Kernels[]; weights: number[] } {
  const only = kernels.length === 1 ? kernels[0]! : undefined;
  if (!only || (only.kind === 'numeric' && only.step === null)) return { kernels, weights };
  let representatives: number[];
  let groupOf: ArrayLike<number>;
  if (only.kind === 'numeric') ({ representatives, pairOf: groupOf } = distinctKernels(only));
  else {
    // Rows are fixed by the observed choice (the last row is the prior).
    const rowOf = new Map<number, number>();
    representatives = [];
    groupOf = Array.from({ length: weights.length }, (_, k) => {
      const key = k < observations.length ? observations[k]! : -1;
      let group = rowOf.get(key);
      if (group === undefined) {
        rowOf.set(key, (group = representatives.length));
        representatives.push(k);
      }
      return group;
    });
  }
  const merged = representatives.map(() => 0);
  for (let k = 0; k < weights.length; k++) merged[groupOf[k]!]! += weights[k]!;
  const pick = <T>(values: readonly T[]) => representatives.map((k) => values[k]!);
  const kernel: Kernels = only.kind === 'categorical'
    ? { kind: 'categorical', weights: pick(only.weights) }
    : { ...only, mus: pick(only.mus), sigmas: pick(only.sigmas) };
  return { kernels: [kernel], weights: merged };
}
