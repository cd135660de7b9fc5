import { InputError } from '../../lib/errors';
import { contains, describe, discreteValues, type CategoricalChoice, type Distribution, type ParamValue, type Params } from './distributions';
import { sortedKeys, type JsonValue } from './json';
import { checkSeed } from './options';
import { deriveRandom } from './rng';
import type { Sampler } from './sampler';
import type { StudyView } from './study-view';
import type { Trial } from './trial';

export interface GridSamplerOptions {
  seed: number;
  /** Values per parameter; by default every value of each discrete parameter of the study's space. */
  grid?: Record<string, readonly CategoricalChoice[]>;
  /** Refuse grids larger than this (default 1,000,000 points). */
  maxPoints?: number;
}

const GRID_ID = 'grid_id';
const FIXED_PARAMS = 'fixed_params';

interface Grid {
  names: string[];
  values: ParamValue[][];
  size: number;
}

function buildGrid(study: StudyView, given: Record<string, readonly CategoricalChoice[]> | undefined, maxPoints: number): Grid {
  const names = given ? sortedKeys(given) : [...study.space.order].sort();
  const values = names.map((name) => {
    const list = given ? [...given[name]!] : discreteValues(study.space.params[name]!.distribution, name);
    if (list.length === 0) throw new InputError(`grid sampler: grid.${name} lists no value`, { parameter: name });
    const distribution = study.space.params[name]?.distribution;
    if (!distribution) throw new InputError(`grid sampler: grid.${name} is not a parameter of the search space`, { parameter: name });
    for (const value of list) {
      if (!contains(distribution, value)) throw new InputError(`grid sampler: grid.${name} holds ${JSON.stringify(value)}, outside ${describe(distribution)}`, { parameter: name });
    }
    return list;
  });
  const size = values.reduce((product, list) => product * list.length, 1);
  if (size > maxPoints) throw new InputError(`grid sampler: the grid has ${size} points (limit ${maxPoints})`, { size });
  return { names, values, size };
}

/** The parameter values of grid point `id` (mixed radix, last name fastest, like `itertools.product`). */
function valueAt(grid: Grid, id: number, name: string): ParamValue | undefined {
  const index = grid.names.indexOf(name);
  if (index < 0) return undefined;
  let rest = id;
  for (let i = grid.names.length - 1; i > index; i--) rest = Math.floor(rest / grid.values[i]!.length);
  return grid.values[index]![rest % grid.values[index]!.length];
}

function gridIds(study: StudyView): { finished: Set<number>; running: Set<number> } {
  const finished = new Set<number>();
  const running = new Set<number>();
  for (const trial of study.getTrials()) {
    const id = trial.systemAttrs[GRID_ID];
    if (typeof id !== 'number') continue;
    if (trial.state === 'RUNNING') running.add(id);
    else if (trial.state !== 'WAITING') finished.add(id);
  }
  return { finished, running };
}

/**
 * Exhaustive search over a grid in random order, as Optuna's `GridSampler`: each trial claims a point no
 * finished or running trial holds (chosen with the seeded generator); once every point is taken,
 * `isExhausted` is true and further trials repeat unfinished or finished points. Enqueued trials take a
 * point that agrees with their fixed values.
 *
 * @example createGridSampler({ seed: 1, grid: { max_depth: [3, 6], eta: [0.05, 0.1] } })
 */
export function createGridSampler(options: GridSamplerOptions): Sampler {
  const seed = checkSeed('grid sampler', options.seed);
  const maxPoints = options.maxPoints ?? 1_000_000;
  const given = options.grid;
  if (given !== undefined) {
    for (const name of sortedKeys(given)) {
      if (!Array.isArray(given[name])) throw new InputError(`grid sampler: grid.${name} must be a list of values`, { parameter: name });
    }
  }
  let cached: { space: unknown; grid: Grid } | undefined;
  const gridOf = (study: StudyView): Grid => {
    if (cached?.space !== study.space) cached = { space: study.space, grid: buildGrid(study, given, maxPoints) };
    return cached.grid;
  };

  return {
    spec: { type: 'grid', seed, maxPoints, ...(given ? { grid: given as Record<string, JsonValue[]> } : {}) },
    beforeTrial(study: StudyView, trial: Trial) {
      if (GRID_ID in trial.systemAttrs) return;
      const grid = gridOf(study);
      // An enqueued trial claims a point that agrees with its fixed values (Optuna would give it none and
      // fail on any value left out); a fully fixed trial off the grid claims nothing.
      const fixed = trial.systemAttrs[FIXED_PARAMS] as Params | undefined;
      const agrees = (id: number) => !fixed || grid.names.every((name) => !(name in fixed) || valueAt(grid, id, name) === fixed[name]);
      const { finished, running } = gridIds(study);
      const all = Array.from({ length: grid.size }, (_, id) => id).filter(agrees);
      if (all.length === 0) return;
      let targets = all.filter((id) => !finished.has(id) && !running.has(id));
      if (targets.length === 0) targets = all.filter((id) => !finished.has(id));
      if (targets.length === 0) targets = all;
      study.setTrialSystemAttr(trial.number, GRID_ID, targets[deriveRandom(seed, 'grid', trial.number).int(targets.length)]!);
    },
    inferRelativeSearchSpace: () => ({}),
    sampleRelative: () => ({}),
    sampleIndependent(study: StudyView, trial: Trial, name: string, _distribution: Distribution): ParamValue {
      const id = trial.systemAttrs[GRID_ID];
      if (typeof id !== 'number') throw new InputError(`grid sampler: trial ${trial.number} was enqueued with values that match no grid point, and without ${name}`, { parameter: name });
      const value = valueAt(gridOf(study), id, name);
      if (value === undefined) throw new InputError(`grid sampler: parameter ${name} is not in the grid`, { parameter: name });
      return value;
    },
    isExhausted(study: StudyView) {
      const { finished, running } = gridIds(study);
      return finished.size + [...running].filter((id) => !finished.has(id)).length >= gridOf(study).size;
    },
  };
}
