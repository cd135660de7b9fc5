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

// Wichura's AS241 (PPND16) rational approximations of the normal quantile, accurate to about 1e-16.
const central = {
  num: [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727],
  den: [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561],
};
const intermediate = {
  num: [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4],
  den: [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9],
};
const far = {
  num: [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7],
  den: [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15],
};

function rational(coefficients: { num: number[]; den: number[] }, x: number): number {
  let num = 0;
  let den = 0;
  for (let i = 7; i >= 0; i--) {
    num = num * x + coefficients.num[i]!;
    den = den * x + coefficients.den[i]!;
  }
  return num / den;
}

/**
 * Inverse of logNdtr: the x with log Φ(x) = y. Optuna bisects over [−100, 100] (some 60 evaluations of
 * log Φ per sample); AS241 in log space and, in the tails, one Newton step on log Φ reach the same
 * precision, also far beyond p = 1e-300 where AS241 alone promises nothing.
 */
export function ndtriExp(y: number): number {
  if (y === -Infinity) return -Infinity;
  if (y >= 0) return Infinity;
  const q = Math.exp(y) - 0.5;
  let x: number;
  if (Math.abs(q) <= 0.425) x = q * rational(central, 0.180625 - q * q);
  else {
    // −log of the nearer tail's mass: −y itself for the lower tail, so even p = 1e-400 loses nothing.
    const r = Math.sqrt(q < 0 ? -y : -Math.log(-Math.expm1(y)));
    x = r <= 5 ? rational(intermediate, r - 1.6) : rational(far, r - 5);
    if (q < 0) x = -x;
    // Newton on log Φ(x) = y: its slope is φ(x) / Φ(x).
    const logPhi = logNdtr(x);
    x -= (logPhi - y) * Math.exp(logPhi + 0.5 * x * x + LOG_SQRT_2PI);
  }
  return x;
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
