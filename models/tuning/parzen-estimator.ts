// Optuna's _ParzenEstimator and _MixtureOfProductDistribution (samplers/_tpe/parzen_estimator.py,
// probability_distributions.py): a weighted mixture with one kernel per observation plus one prior kernel;
// each kernel is a product over parameters of a truncated normal (numeric) or a categorical distribution.
import {
  categoricalKernels, defaultWeights, distinctKernels, mergeIdentical, numericKernels,
  type DistinctKernels, type Kernels, type NumericKernels, type Observations, type ParzenEstimatorParameters,
} from './parzen-kernels';
import type { Distribution } from './distributions';
import { float64Of } from './float64';
import { weightedIndex, type Random } from './rng';
import { logGaussMass, truncnormFromUniform } from './truncnorm';

export { categoricalKernels, defaultWeights, numericKernels, type Observations, type ParzenEstimatorParameters };

function untransform(kernels: NumericKernels, y: number): number {
  const x = kernels.log ? Math.exp(y) : y;
  if (kernels.step === null) return Math.min(Math.max(x, kernels.rawLow), kernels.rawHigh);
  const snapped = kernels.rawLow + Math.round((x - kernels.rawLow) / kernels.step) * kernels.step;
  return Math.min(Math.max(snapped, kernels.rawLow), kernels.rawHigh);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Per kernel, the part of its log density that does not depend on x (computed once, not per candidate). */
function normalisers(kernels: NumericKernels, distinct: DistinctKernels | null): Float64Array {
  const mass = (k: number) => {
    const sigma = kernels.sigmas[k]!;
    const logMass = logGaussMass((kernels.low - kernels.mus[k]!) / sigma, (kernels.high - kernels.mus[k]!) / sigma);
    return kernels.step === null ? logMass + Math.log(sigma) : logMass;
  };
  if (!distinct) return kernels.mus.map((_, k) => mass(k));
  const byPair = distinct.representatives.map(mass);
  return float64Of(distinct.pairOf, (pair) => byPair[pair]!);
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
  private readonly logWeights: Float64Array;
  private readonly kernels: Kernels[];
  /** Per numeric parameter and kernel: the x-independent part of the log density. */
  private readonly normalisers: Float64Array[];
  private readonly distinct: Array<DistinctKernels | null>;

  /**
   * @param observations internal values per parameter (categorical indices), all of one length, in trial-number order
   * @param space the parameters, iterated in the given (sorted) key order
   */
  constructor(observations: Readonly<Record<string, Observations>>, space: Readonly<Record<string, Distribution>>, parameters: ParzenEstimatorParameters) {
    if (parameters.priorWeight < 0) throw new RangeError(`priorWeight must be ≥ 0, got ${parameters.priorWeight}`);
    this.names = Object.keys(space);
    const n = this.names.length === 0 ? 0 : observations[this.names[0]!]!.length;
    const weights = n === 0 ? [1] : [...defaultWeights(n), parameters.priorWeight];
    const total = weights.reduce((a, b) => a + b, 0);
    const kernels = this.names.map((name) => {
      const distribution = space[name]!;
      return distribution.type === 'categorical'
        ? categoricalKernels(observations[name]!, distribution, parameters)
        : numericKernels(observations[name]!, distribution, parameters);
    });
    const merged = mergeIdentical(kernels, weights.map((w) => w / total), this.names.length === 1 ? observations[this.names[0]!]! : []);
    this.weights = merged.weights;
    this.logWeights = float64Of(merged.weights, (w) => Math.log(w));
    this.kernels = merged.kernels;
    this.distinct = this.kernels.map((k) => (k.kind === 'numeric' && k.step !== null ? distinctKernels(k) : null));
    this.normalisers = this.kernels.map((k, d) => (k.kind === 'numeric' ? normalisers(k, this.distinct[d]!) : new Float64Array(0)));
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
    for (let s = 0; s < size; s++) table.set(this.logWeights, s * nKernels);
    for (let d = 0; d < this.names.length; d++) {
      const kernels = this.kernels[d]!;
      const xs = samples[this.names[d]!]!;
      const normaliser = this.normalisers[d]!;
      // A discrete parameter's candidates repeat grid values: each value's terms are computed once.
      const discreteTerms = new Map<number, Float64Array>();
      for (let s = 0; s < size; s++) {
        const x = xs[s]!;
        const row = s * nKernels;
        if (kernels.kind === 'categorical') {
          for (let k = 0; k < nKernels; k++) table[row + k]! += Math.log(kernels.weights[Math.min(k, kernels.weights.length - 1)]![x]!);
        } else if (kernels.step === null) {
          const y = kernels.log ? Math.log(x) : x;
          const outside = y < kernels.low || y > kernels.high;
          const { mus, sigmas } = kernels;
          for (let k = 0; k < nKernels; k++) {
            const z = (y - mus[k]!) / sigmas[k]!;
            table[row + k]! += outside ? -Infinity : -0.5 * z * z - LOG_SQRT_2PI - normaliser[k]!;
          }
        } else {
          const { pairOf, representatives } = this.distinct[d]!;
          let byPair = discreteTerms.get(x);
          if (!byPair) discreteTerms.set(x, (byPair = float64Of(representatives, (k) => numericLogPdf(kernels, x, k, normaliser[k]!))));
          for (let k = 0; k < nKernels; k++) table[row + k]! += byPair[pairOf[k]!]!;
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
      for (let k = 0; k < nKernels; k++) {
        // Kernels more than e^40 below the largest add under 4e-18 each to a sum of at least 1: skipping them
        // moves the log density by less than n · 4e-18 and saves most exp calls.
        const d = table[row + k]! - max;
        if (d > -40) total += Math.exp(d);
      }
      result.push(max + Math.log(total));
    }
    return result;
  }
}
