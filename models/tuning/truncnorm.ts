// The truncated normal distribution TPE needs, after Optuna's _truncnorm.py (itself from SciPy): the
// log-space formulas keep tail masses accurate where a naive Φ(b) − Φ(a) would round to zero.
import { erf, erfc } from './erf';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Φ(a), the standard normal CDF. */
export function ndtr(a: number): number {
  const x = a / Math.SQRT2;
  if (x < -Math.SQRT1_2) return 0.5 * erfc(-x);
  if (x < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log Φ(a), with the asymptotic series below −20 where Φ underflows. */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a);
  if (a > -20) return Math.log(ndtr(a));
  const logLhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
  let lastTotal = 0;
  let rightHandSide = 1;
  let numerator = 1;
  let denominatorFactor = 1;
  const denominatorConstant = 1 / (a * a);
  let sign = 1;
  for (let i = 1; Math.abs(lastTotal - rightHandSide) > Number.EPSILON && i < 1000; i++) {
    lastTotal = rightHandSide;
    sign = -sign;
    denominatorFactor *= denominatorConstant;
    numerator *= 2 * i - 1;
    rightHandSide += sign * numerator * denominatorFactor;
  }
  return logLhs + Math.log(rightHandSide);
}

function logSum(logP: number, logQ: number): number {
  const max = Math.max(logP, logQ);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(Math.exp(logP - max) + Math.exp(logQ - max));
}

function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

/** log(Φ(b) − Φ(a)) for a ≤ b, working in the left tail for accuracy. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** Inverse of logNdtr by bisection over [−100, 100], as Optuna does (100 halvings reach double precision). */
function ndtriExp(y: number): number {
  let low = -100;
  let high = 100;
  let middle = 0;
  for (let i = 0; i < 100; i++) {
    const next = (low + high) / 2;
    // Once the midpoint stops moving, the remaining halvings would return the same number.
    if (next === middle && i > 0) break;
    middle = next;
    if (logNdtr(middle) < y) low = middle;
    else high = middle;
  }
  return middle;
}

/** Quantile q of the standard normal truncated to [a, b]. */
export function ppf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  if (a < 0) return ndtriExp(logSum(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  return -ndtriExp(logSum(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
}

/** Draw from N(loc, scale²) truncated to [loc + a·scale, loc + b·scale] by inverting the CDF at u ∈ [0, 1). */
export function truncnormFromUniform(u: number, a: number, b: number, loc: number, scale: number): number {
  return ppf(u, a, b) * scale + loc;
}

/** log density of N(loc, scale²) truncated to standardised bounds [a, b]. */
export function truncnormLogPdf(x: number, a: number, b: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  if (z < a || z > b) return -Infinity;
  return -0.5 * z * z - LOG_SQRT_2PI - logGaussMass(a, b) - Math.log(scale);
}
