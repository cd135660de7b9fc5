// Optuna's _ParzenEstimator and _MixtureOfProductDistribution (samplers/_tpe/parzen_estimator.py,
// probability_distributions.py): a weighted mixture with one kernel per observation plus one prior kernel;
// each kernel is a product over parameters of a truncated normal (numeric) or a categorical distribution.
import type { Distribution } from './distributions';
import { weightedIndex, type Random } from './rng';
import { logGaussMass, truncnormFromUniform } from './truncnorm';

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

interface NumericKernels {
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

interface CategoricalKernels {
  kind: 'categorical';
  /** One row of choice probabilities per kernel. */
  weights: number[][];
}

type Kernels = NumericKernels | CategoricalKernels;

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

function untransform(kernels: NumericKernels, y: number): number {
  const x = kernels.log ? Math.exp(y) : y;
  if (kernels.step === null) return Math.min(Math.max(x, kernels.rawLow), kernels.rawHigh);
  const snapped = kernels.rawLow + Math.round((x - kernels.rawLow) / kernels.step) * kernels.step;
  return Math.min(Math.max(snapped, kernels.rawLow), kernels.rawHigh);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Per kernel, the part of its log density that does not depend on x (computed once, not per candidate). */
function normalisers(kernels: NumericKernels): number[] {
  return kernels.mus.map((mu, i) => {
    const sigma = kernels.sigmas[i]!;
    const mass = logGaussMass((kernels.low - mu) / sigma, (kernels.high - mu) / sigma);
    return kernels.step === null ? mass + Math.log(sigma) : mass;
  });
}

// Hot path (candidates × kernels): no closures here, since tsx/esbuild wrap each new function in a
// costly name-keeping helper.
function numericLogPdf(kernels: NumericKernels, x: number, kernel: number, normaliser: number): number {
  const mu = kernels.mus[kernel]!;
  const sigma = kernels.sigmas[kernel]!;
  if (kernels.step === null) {
    // Optuna's truncated-normal logpdf; for log ranges in log space (the 1/x Jacobian cancels in l(x)/g(x)).
    const y = kernels.log ? Math.log(x) : x;
    if (y < kernels.low || y > kernels.high) return -Infinity;
    const z = (y - mu) / sigma;
    return -0.5 * z * z - LOG_SQRT_2PI - normaliser;
  }
  // Discrete: the kernel's mass over the cell of width `step` around x, renormalised to the whole range.
  let lower = Math.max(x - kernels.step / 2, kernels.rawLow - kernels.step / 2);
  let upper = Math.min(x + kernels.step / 2, kernels.rawHigh + kernels.step / 2);
  if (kernels.log) {
    lower = Math.log(lower);
    upper = Math.log(upper);
  }
  return logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - normaliser;
}

export class ParzenEstimator {
  private readonly names: string[];
  private readonly weights: number[];
  private readonly kernels: Kernels[];
  /** Per numeric parameter and kernel: the x-independent part of the log density. */
  private readonly normalisers: number[][];

  /**
   * @param observations internal values per parameter (categorical indices), all of one length, in trial-number order
   * @param space the parameters, iterated in the given (sorted) key order
   */
  constructor(observations: Readonly<Record<string, readonly number[]>>, space: Readonly<Record<string, Distribution>>, parameters: ParzenEstimatorParameters) {
    if (parameters.priorWeight < 0) throw new RangeError(`priorWeight must be ≥ 0, got ${parameters.priorWeight}`);
    this.names = Object.keys(space);
    const n = this.names.length === 0 ? 0 : observations[this.names[0]!]!.length;
    const weights = n === 0 ? [1] : [...defaultWeights(n), parameters.priorWeight];
    const total = weights.reduce((a, b) => a + b, 0);
    this.weights = weights.map((w) => w / total);
    this.kernels = this.names.map((name) => {
      const distribution = space[name]!;
      return distribution.type === 'categorical'
        ? categoricalKernels(observations[name]!, distribution, parameters)
        : numericKernels(observations[name]!, distribution, parameters, this.names.length);
    });
    this.normalisers = this.kernels.map((k) => (k.kind === 'numeric' ? normalisers(k) : []));
  }

  /** `size` joint samples: pick a kernel by weight, then draw every parameter from it. */
  sample(random: Random, size: number): Record<string, number[]> {
    const active = Array.from({ length: size }, () => weightedIndex(random, this.weights));
    const out: Record<string, number[]> = {};
    this.names.forEach((name, d) => {
      const kernels = this.kernels[d]!;
      out[name] = active.map((kernel) => {
        const u = random.next();
        if (kernels.kind === 'categorical') {
          const row = kernels.weights[Math.min(kernel, kernels.weights.length - 1)]!;
          let cumulative = 0;
          for (let i = 0; i < row.length - 1; i++) if (u < (cumulative += row[i]!)) return i;
          return row.length - 1;
        }
        const mu = kernels.mus[kernel]!;
        const sigma = kernels.sigmas[kernel]!;
        return untransform(kernels, truncnormFromUniform(u, (kernels.low - mu) / sigma, (kernels.high - mu) / sigma, mu, sigma));
      });
    });
    return out;
  }

  /** log of the mixture density at each sample (dimension by dimension into one samples × kernels table). */
  logPdf(samples: Readonly<Record<string, readonly number[]>>): number[] {
    const size = this.names.length === 0 ? 0 : samples[this.names[0]!]!.length;
    const nKernels = this.weights.length;
    const table = new Float64Array(size * nKernels);
    for (let k = 0; k < nKernels; k++) {
      const logWeight = Math.log(this.weights[k]!);
      for (let s = 0; s < size; s++) table[s * nKernels + k] = logWeight;
    }
    for (let d = 0; d < this.names.length; d++) {
      const kernels = this.kernels[d]!;
      const xs = samples[this.names[d]!]!;
      const normaliser = this.normalisers[d]!;
      for (let s = 0; s < size; s++) {
        const x = xs[s]!;
        const row = s * nKernels;
        if (kernels.kind === 'categorical') {
          for (let k = 0; k < nKernels; k++) table[row + k]! += Math.log(kernels.weights[Math.min(k, kernels.weights.length - 1)]![x]!);
        } else if (kernels.step === null) {
          const y = kernels.log ? Math.log(x) : x;
          const outside = y < kernels.low || y > kernels.high;
          for (let k = 0; k < nKernels; k++) {
            const z = (y - kernels.mus[k]!) / kernels.sigmas[k]!;
            table[row + k]! += outside ? -Infinity : -0.5 * z * z - LOG_SQRT_2PI - normaliser[k]!;
          }
        } else {
          for (let k = 0; k < nKernels; k++) table[row + k]! += numericLogPdf(kernels, x, k, normaliser[k]!);
        }
      }
    }
    const result: number[] = [];
    for (let s = 0; s < size; s++) {
      const row = s * nKernels;
      let max = -Infinity;
      for (let k = 0; k < nKernels; k++) if (table[row + k]! > max) max = table[row + k]!;
      if (max === -Infinity) {
        result.push(-Infinity);
        continue;
      }
      let total = 0;
      for (let k = 0; k < nKernels; k++) total += Math.exp(table[row + k]! - max);
      result.push(max + Math.log(total));
    }
    return result;
  }
}
