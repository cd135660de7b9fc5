import { InputError } from '../../lib/errors';

/** A categorical choice: what a YAML scalar can hold. */
export type CategoricalChoice = string | number | boolean | null;
/** A parameter's value in a trial: a number for float and int parameters, a choice for categorical ones. */
export type ParamValue = CategoricalChoice;
export type Params = Readonly<Record<string, ParamValue>>;

export interface FloatDistribution {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Values are `low + k * step`; null for a continuous range. */
  readonly step: number | null;
}

export interface IntDistribution {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

export interface CategoricalDistribution {
  readonly type: 'categorical';
  readonly choices: readonly CategoricalChoice[];
}

/** Immutable (frozen) plain objects, so `JSON.parse(JSON.stringify(d))` deep-equals `d`. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

export interface FloatDistributionOptions {
  low: number;
  high: number;
  log?: boolean;
  step?: number | null;
}

export interface IntDistributionOptions {
  low: number;
  high: number;
  log?: boolean;
  step?: number;
}

function fail(name: string, problem: string, details: Record<string, unknown> = {}): never {
  throw new InputError(`parameter ${name}: ${problem}`, { parameter: name, problem, ...details });
}

function finite(name: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, `${field} must be a finite number, got ${JSON.stringify(value) ?? String(value)}`);
  return value;
}

/** Float artefacts (0.30000000000000004) would leak into params and JSON: keep 15 significant digits. */
export function roundToGrid(value: number): number {
  return Number(value.toPrecision(15));
}

/**
 * A float range. `log` samples uniformly in log space (needs low > 0); `step` makes it discrete and
 * shrinks `high` to the last value of the grid, as Optuna does. `log` and `step` exclude each other.
 *
 * @example floatDistribution({ low: 0.01, high: 0.3, log: true }, 'eta')
 */
export function floatDistribution(options: FloatDistributionOptions, name = 'value'): FloatDistribution {
  const low = finite(name, 'low', options.low);
  let high = finite(name, 'high', options.high);
  const log = options.log ?? false;
  const step = options.step ?? null;
  if (typeof log !== 'boolean') fail(name, `log must be true or false, got ${JSON.stringify(log)}`);
  if (low > high) fail(name, `low (${low}) must be ≤ high (${high})`);
  if (log && low <= 0) fail(name, `low (${low}) must be > 0 when log is true`);
  if (step !== null) {
    if (log) fail(name, 'step and log cannot be used together');
    if (finite(name, 'step', step) <= 0) fail(name, `step (${step}) must be > 0`);
    const n = Math.floor(roundToGrid((high - low) / step));
    high = roundToGrid(low + n * step);
  }
  return Object.freeze({ type: 'float', low, high, log, step });
}

/**
 * An integer range; `step` (default 1) keeps `low + k * step`, `log` needs low ≥ 1 and step 1.
 *
 * @example intDistribution({ low: 2, high: 10 }, 'max_depth')
 */
export function intDistribution(options: IntDistributionOptions, name = 'value'): IntDistribution {
  const low = finite(name, 'low', options.low);
  let high = finite(name, 'high', options.high);
  const log = options.log ?? false;
  const step = finite(name, 'step', options.step ?? 1);
  if (!Number.isInteger(low) || !Number.isInteger(high)) fail(name, `low (${low}) and high (${high}) must be integers`);
  if (!Number.isInteger(step) || step < 1) fail(name, `step (${step}) must be an integer ≥ 1`);
  if (typeof log !== 'boolean') fail(name, `log must be true or false, got ${JSON.stringify(log)}`);
  if (low > high) fail(name, `low (${low}) must be ≤ high (${high})`);
  if (log && low < 1) fail(name, `low (${low}) must be ≥ 1 when log is true`);
  if (log && step !== 1) fail(name, `step (${step}) must be 1 when log is true`);
  high = low + Math.floor((high - low) / step) * step;
  return Object.freeze({ type: 'int', low, high, log, step });
}

/**
 * A choice among strings, finite numbers, booleans or null; choices must be distinct.
 *
 * @example categoricalDistribution(['gbtree', 'dart'], 'booster')
 */
export function categoricalDistribution(choices: readonly CategoricalChoice[], name = 'value'): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) fail(name, 'choices must be a non-empty list');
  choices.forEach((choice, i) => {
    const ok = choice === null || typeof choice === 'string' || typeof choice === 'boolean' || (typeof choice === 'number' && Number.isFinite(choice));
    if (!ok) fail(name, `choice ${i} must be a string, finite number, boolean or null, got ${JSON.stringify(choice) ?? String(choice)}`);
    if (choices.indexOf(choice) !== i) fail(name, `choice ${JSON.stringify(choice)} appears twice`);
  });
  return Object.freeze({ type: 'categorical', choices: Object.freeze([...choices]) });
}

/** Rebuilds (and re-validates) a distribution from its JSON form. */
export function distributionFromJSON(value: unknown, name = 'value'): Distribution {
  if (typeof value !== 'object' || value === null) fail(name, `a distribution must be an object, got ${JSON.stringify(value)}`);
  const record = value as Record<string, unknown>;
  switch (record.type) {
    case 'float':
      return floatDistribution(record as unknown as FloatDistributionOptions, name);
    case 'int':
      return intDistribution(record as unknown as IntDistributionOptions, name);
    case 'categorical':
      return categoricalDistribution(record.choices as CategoricalChoice[], name);
    default:
      return fail(name, `type must be float, int or categorical, got ${JSON.stringify(record.type)}`);
  }
}

/** True when only one value is possible (nothing to sample). */
export function isSingle(distribution: Distribution): boolean {
  return distribution.type === 'categorical' ? distribution.choices.length === 1 : distribution.low === distribution.high;
}

function onStep(value: number, low: number, step: number): boolean {
  const k = (value - low) / step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

export function contains(distribution: Distribution, value: unknown): boolean {
  if (distribution.type === 'categorical') return distribution.choices.includes(value as CategoricalChoice);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (distribution.type === 'int' && !Number.isInteger(value)) return false;
  const { low, high, step } = distribution;
  if (value < low - 1e-12 * Math.abs(low) || value > high + 1e-12 * Math.abs(high)) return false;
  return step === null || onStep(value, low, step);
}

/** The number samplers work with: the value itself, or the index of a categorical choice. */
export function toInternal(distribution: Distribution, value: ParamValue): number {
  if (distribution.type === 'categorical') {
    const index = distribution.choices.indexOf(value);
    if (index < 0) throw new InputError(`${JSON.stringify(value)} is not one of ${describe(distribution)}`, { value });
    return index;
  }
  return value as number;
}

/** Inverse of `toInternal`; snaps numbers onto the distribution's grid and bounds. */
export function toExternal(distribution: Distribution, internal: number): ParamValue {
  if (distribution.type === 'categorical') return distribution.choices[Math.round(internal)]!;
  const { low, high, step } = distribution;
  // Int distributions always have a step (default 1), so snapping also rounds to an integer.
  const value = step === null ? internal : roundToGrid(low + Math.round((internal - low) / step) * step);
  return Math.min(Math.max(value, low), high);
}

/** Every value of a discrete distribution, in order (for grid search). */
export function discreteValues(distribution: Distribution, name = 'value', limit = 100_000): ParamValue[] {
  if (distribution.type === 'categorical') return [...distribution.choices];
  const { low, high, step } = distribution;
  if (step === null) return fail(name, 'a continuous float range has no grid: give step, or list the values');
  const n = Math.round((high - low) / step) + 1;
  if (n > limit) fail(name, `the grid would hold ${n} values (limit ${limit})`);
  return Array.from({ length: n }, (_, k) => roundToGrid(low + k * step));
}

/** A short human description for error messages: `float [0.01, 0.3] log`. */
export function describe(distribution: Distribution): string {
  if (distribution.type === 'categorical') return `(${distribution.choices.map((c) => JSON.stringify(c)).join(', ')})`;
  const step = distribution.step !== null && distribution.step !== 1 ? ` step ${distribution.step}` : '';
  return `${distribution.type} [${distribution.low}, ${distribution.high}]${distribution.log ? ' log' : ''}${step}`;
}
