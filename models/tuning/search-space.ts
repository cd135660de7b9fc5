import { InputError } from '../../lib/errors';
import { contains, describe, distributionFromJSON, type Distribution, type ParamValue, type Params } from './distributions';
import { sortedKeys, type JsonValue } from './json';

/** One parameter of a search space: its distribution and, for a conditional one, when it exists. */
export interface ParamSpec {
  readonly distribution: Distribution;
  /** Each key is another parameter; this one exists only when every listed parameter holds one of its values. */
  readonly when: Readonly<Record<string, readonly ParamValue[]>> | null;
}

export interface SearchSpace {
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Sampling order: parents before the parameters conditioned on them, otherwise sorted by name. */
  readonly order: readonly string[];
}

const distributionKeys: Record<string, readonly string[]> = {
  float: ['type', 'low', 'high', 'log', 'step', 'when'],
  int: ['type', 'low', 'high', 'log', 'step', 'when'],
  categorical: ['type', 'choices', 'when'],
};

function fail(path: string, problem: string): never {
  throw new InputError(`${path}: ${problem}`, { path, problem });
}

function parseParam(name: string, raw: unknown, path: string): { distribution: Distribution; when: unknown } {
  const at = `${path}.${name}`;
  const value = Array.isArray(raw) ? { type: 'categorical', choices: raw } : raw;
  if (typeof value !== 'object' || value === null) fail(at, `expected an object like { type: float, low: 0, high: 1 } or a list of choices, got ${JSON.stringify(raw)}`);
  const record = value as Record<string, unknown>;
  const allowed = distributionKeys[String(record.type)];
  if (!allowed) fail(`${at}.type`, `must be float, int or categorical, got ${JSON.stringify(record.type)}`);
  for (const key of sortedKeys(record)) if (!allowed.includes(key)) fail(`${at}.${key}`, `unknown field for a ${String(record.type)} parameter (allowed: ${allowed.join(', ')})`);
  const { when, ...distribution } = record;
  try {
    return { distribution: distributionFromJSON(distribution, name), when };
  } catch (error) {
    if (error instanceof InputError && typeof error.details.problem === 'string') fail(at, error.details.problem);
    throw error;
  }
}

function parseWhen(name: string, raw: unknown, distributions: Record<string, Distribution>, path: string): Record<string, readonly ParamValue[]> | null {
  if (raw === undefined || raw === null) return null;
  const at = `${path}.${name}.when`;
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(at, `expected an object like { booster: dart }, got ${JSON.stringify(raw)}`);
  const entries = sortedKeys(raw as Record<string, unknown>);
  if (entries.length === 0) fail(at, 'names no parameter');
  const when: Record<string, readonly ParamValue[]> = {};
  for (const parent of entries) {
    const parentDistribution = distributions[parent];
    if (parent === name) fail(`${at}.${parent}`, 'a parameter cannot depend on itself');
    if (!parentDistribution) fail(`${at}.${parent}`, `no parameter named ${parent} in the search space`);
    const given = (raw as Record<string, unknown>)[parent];
    const values = (Array.isArray(given) ? given : [given]) as ParamValue[];
    if (values.length === 0) fail(`${at}.${parent}`, 'lists no value');
    for (const value of values) {
      if (!contains(parentDistribution, value)) fail(`${at}.${parent}`, `${JSON.stringify(value)} is not a possible value of ${parent} ${describe(parentDistribution)}`);
    }
    when[parent] = Object.freeze([...values]);
  }
  return Object.freeze(when);
}

/** Parents first (Kahn's algorithm), ties broken by name so the order never depends on insertion. */
function samplingOrder(params: Record<string, ParamSpec>, path: string): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const names = sortedKeys(params);
  while (order.length < names.length) {
    const next = names.find((name) => !placed.has(name) && sortedKeys(params[name]!.when ?? {}).every((parent) => placed.has(parent)));
    if (next === undefined) fail(path, `conditions form a cycle among ${names.filter((name) => !placed.has(name)).join(', ')}`);
    order.push(next);
    placed.add(next);
  }
  return order;
}

/**
 * Parses a search space as written in a pipeline config, with errors that name the path.
 *
 * @example
 * parseSearchSpace({
 *   booster: [gbtree, dart],                                   // a list is a categorical parameter
 *   eta: { type: 'float', low: 0.01, high: 0.3, log: true },
 *   max_depth: { type: 'int', low: 2, high: 10 },
 *   rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
 * }, 'tuning.space')
 */
export function parseSearchSpace(value: unknown, path = 'searchSpace'): SearchSpace {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, `expected an object mapping parameter names to distributions, got ${JSON.stringify(value)}`);
  const raw = value as Record<string, unknown>;
  const names = sortedKeys(raw);
  if (names.length === 0) fail(path, 'declares no parameter');
  const parsed = Object.fromEntries(names.map((name) => [name, parseParam(name, raw[name], path)]));
  const distributions = Object.fromEntries(names.map((name) => [name, parsed[name]!.distribution]));
  const params: Record<string, ParamSpec> = {};
  for (const name of names) params[name] = Object.freeze({ distribution: distributions[name]!, when: parseWhen(name, parsed[name]!.when, distributions, path) });
  return Object.freeze({ params: Object.freeze(params), order: Object.freeze(samplingOrder(params, path)) });
}

/** A search space from distributions already built (no conditions). */
export function searchSpaceOf(distributions: Readonly<Record<string, Distribution>>): SearchSpace {
  return parseSearchSpace(Object.fromEntries(sortedKeys(distributions).map((name) => [name, distributions[name]])));
}

/** The config form again: `parseSearchSpace(searchSpaceToJSON(space))` deep-equals `space`. */
export function searchSpaceToJSON(space: SearchSpace): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const name of sortedKeys(space.params)) {
    const { distribution, when } = space.params[name]!;
    out[name] = { ...(distribution as unknown as Record<string, JsonValue>), ...(when ? { when: when as Record<string, JsonValue[]> } : {}) } as JsonValue;
  }
  return out;
}

/** Whether `name` exists given the values chosen so far (its parents must exist and match). */
export function isActive(space: SearchSpace, name: string, params: Params): boolean {
  const when = space.params[name]?.when;
  if (!when) return true;
  return sortedKeys(when).every((parent) => parent in params && isActive(space, parent, params) && when[parent]!.includes(params[parent]!));
}

/**
 * Checks a full parameter set against the space: active parameters present and in range, inactive ones
 * absent, nothing unknown. Returns the problems (empty when valid).
 */
export function paramProblems(space: SearchSpace, params: Params): string[] {
  const problems: string[] = [];
  for (const name of sortedKeys(params)) if (!space.params[name]) problems.push(`${name}: not in the search space`);
  for (const name of space.order) {
    const active = isActive(space, name, params);
    const distribution = space.params[name]!.distribution;
    if (!active && name in params) problems.push(`${name}: given although its condition does not hold`);
    if (active && !(name in params)) problems.push(`${name}: missing`);
    if (active && name in params && !contains(distribution, params[name])) problems.push(`${name}: ${JSON.stringify(params[name])} is outside ${describe(distribution)}`);
  }
  return problems;
}

/**
 * The values of `params` that this space can take as they are: unknown parameters and values outside their
 * distribution are left out, for the sampler to choose (a warm start from a study over another space).
 */
export function paramsWithin(space: SearchSpace, params: Params): Params {
  return Object.fromEntries(sortedKeys(params).filter((name) => space.params[name] && contains(space.params[name].distribution, params[name])).map((name) => [name, params[name]!]));
}
