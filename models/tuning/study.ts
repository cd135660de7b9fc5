import { ConflictError, InputError } from '../../lib/errors';
import { contains, describe, isSingle, toExternal, type ParamValue, type Params } from './distributions';
import { jsonClone, sortedKeys, type JsonValue } from './json';
import { createMemoryTrialStore } from './memory-trial-store';
import type { Pruner, PrunerSpec } from './pruner';
import { createPruner } from './pruners';
import type { Sampler, SamplerSpec } from './sampler';
import { createSampler } from './samplers';
import { isActive, parseSearchSpace, searchSpaceToJSON, type SearchSpace } from './search-space';
import type { StudyView } from './study-view';
import { lastStep, type Direction, type Trial, type TrialState } from './trial';
import type { TrialStore, TrialStoreSnapshot } from './trial-store';

export interface StudyOptions {
  /** Also seeds Hyperband's bracket choice. */
  name: string;
  space: SearchSpace;
  /** Default 'minimize'. */
  direction?: Direction;
  /** Default TPE with seed 0 (Optuna's default sampler). */
  sampler?: Sampler;
  /** Default the median pruner (Optuna's default pruner). */
  pruner?: Pruner;
  /** Default a new in-memory store. */
  store?: TrialStore;
  /** Time source for startedAt / completedAt (null: unknown yet); without one they stay null. */
  clock?: () => number | null;
}

export interface TellInput {
  /** Default 'COMPLETE'. */
  state?: 'COMPLETE' | 'PRUNED' | 'FAIL';
  /** Required for COMPLETE; a NaN or missing value fails the trial instead, as in Optuna. */
  value?: number | null;
}

export interface EnqueueOptions {
  /** Do nothing if a trial (any state) already has these values (Optuna's `skip_if_exists`). */
  skipIfExists?: boolean;
}

/** Everything needed to rebuild a study: plain JSON, keys sorted. */
export interface StudySnapshot {
  format: 'kiln.study/1';
  name: string;
  direction: Direction;
  space: Record<string, JsonValue>;
  sampler: SamplerSpec;
  pruner: PrunerSpec;
  store: TrialStoreSnapshot;
}

export interface Study extends StudyView {
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** One trial by number; NotFoundError for an unknown one. */
  getTrial(number: number): Trial;
  /** Starts the next trial (the oldest enqueued one first) and proposes its parameters. */
  ask(): Trial;
  /** Finishes a RUNNING trial; a second tell throws `ConflictError`. */
  tell(number: number, input: TellInput): Trial;
  /** Records an intermediate value (step: an integer ≥ 0; a step reported twice keeps the first value). */
  report(number: number, step: number, value: number): Trial;
  /** Asks the pruner about a RUNNING trial's latest report. */
  shouldPrune(number: number): boolean;
  /** Queues a trial with fixed values (all or some parameters); null when skipped. */
  enqueue(params: Params, options?: EnqueueOptions): Trial | null;
  /** The COMPLETE trial with the best value (the earliest on ties), or undefined. */
  bestTrial(): Trial | undefined;
  /** True when the sampler has nothing new to propose (a finished grid). */
  isExhausted(): boolean;
  toJSON(): StudySnapshot;
}

const FIXED_PARAMS = 'fixed_params';

function checkFixedParams(space: SearchSpace, params: Params): Params {
  for (const name of sortedKeys(params)) {
    const spec = space.params[name];
    if (!spec) throw new InputError(`enqueued parameter ${name} is not in the search space`, { parameter: name });
    if (!contains(spec.distribution, params[name])) {
      throw new InputError(`enqueued parameter ${name}: ${JSON.stringify(params[name])} is outside ${describe(spec.distribution)}`, { parameter: name });
    }
  }
  return params;
}

function sameValues(fixed: Params, params: Params): boolean {
  return sortedKeys(fixed).every((name) => name in params && params[name] === fixed[name]);
}

/**
 * A study driven by ask and tell: pure and synchronous, so a Temporal workflow can own it.
 *
 * @example
 * const study = createStudy({ name: 'telco-churn', space, direction: 'maximize', sampler: createTpeSampler({ seed: 7 }) });
 * const trial = study.ask();                      // trial.params → the activity's input
 * study.report(trial.number, round, auc);         // per boosting round, then study.shouldPrune(trial.number)
 * study.tell(trial.number, { value: cvAuc });     // or { state: 'PRUNED' } / { state: 'FAIL' }
 * const carried = study.toJSON();                 // continueAsNew({ study: carried }); restoreStudy(carried)
 */
export function createStudy(options: StudyOptions): Study {
  const { name, space } = options;
  const direction = options.direction ?? 'minimize';
  if (typeof name !== 'string' || name.length === 0) throw new InputError(`study name must be a non-empty string, got ${JSON.stringify(name)}`, { name });
  if (direction !== 'minimize' && direction !== 'maximize') throw new InputError(`study direction must be minimize or maximize, got ${JSON.stringify(direction)}`, { direction });
  const sampler = options.sampler ?? createSampler({ type: 'tpe', seed: 0 });
  const pruner = options.pruner ?? createPruner({ type: 'median' });
  const store = options.store ?? createMemoryTrialStore();
  const now = (): number | null => (options.clock ? options.clock() : null);

  const view: StudyView = {
    name,
    direction,
    space,
    getTrials: (states?: readonly TrialState[]) => store.getTrials(states),
    getStudyAttrs: () => store.getStudyAttrs(),
    setStudyAttr: (key, value) => store.setStudyAttr(key, value),
    setTrialSystemAttr(number, key, value) {
      const trial = store.getTrial(number);
      store.updateTrial(number, trial.state, { systemAttrs: { [key]: value } });
    },
  };

  const running = (number: number): Trial => {
    const trial = store.getTrial(number);
    if (trial.state !== 'RUNNING') throw new ConflictError(`trial ${number} is ${trial.state}, not RUNNING`, { number, state: trial.state });
    return trial;
  };

  const proposeParams = (started: Trial): Params => {
    sampler.beforeTrial?.(view, started);
    const trial = store.getTrial(started.number);
    const fixed = (trial.systemAttrs[FIXED_PARAMS] ?? {}) as Params;
    const relativeSpace = sampler.inferRelativeSearchSpace(view, trial);
    const relative = Object.keys(relativeSpace).length > 0 ? sampler.sampleRelative(view, trial, relativeSpace) : {};
    const params: Record<string, ParamValue> = {};
    // Parents before children, so each condition is decided by values already chosen.
    for (const param of space.order) {
      if (!isActive(space, param, params)) continue;
      const distribution = space.params[param]!.distribution;
      if (param in fixed) params[param] = fixed[param]!;
      else if (param in relativeSpace && param in relative) params[param] = relative[param]!;
      else if (isSingle(distribution)) params[param] = toExternal(distribution, distribution.type === 'categorical' ? 0 : distribution.low);
      else params[param] = sampler.sampleIndependent(view, { ...trial, params: { ...params } }, param, distribution);
      if (!contains(distribution, params[param])) {
        throw new InputError(`parameter ${param}: ${JSON.stringify(params[param])} is outside ${describe(distribution)}`, { parameter: param });
      }
    }
    return params;
  };

  const study: Study = {
    ...view,
    sampler,
    pruner,
    getTrial: (number) => store.getTrial(number),
    ask() {
      const waiting = store.getTrials(['WAITING'])[0];
      const started = waiting
        ? store.updateTrial(waiting.number, 'WAITING', { state: 'RUNNING', startedAt: now() })
        : store.createTrial({ state: 'RUNNING', startedAt: now() });
      return store.updateTrial(started.number, 'RUNNING', { params: proposeParams(started) });
    },
    tell(number, input) {
      const trial = store.getTrial(number);
      const state = input.state ?? 'COMPLETE';
      if (!['COMPLETE', 'PRUNED', 'FAIL'].includes(state)) throw new InputError(`tell: state must be COMPLETE, PRUNED or FAIL, got ${JSON.stringify(state)}`, { state });
      const completedAt = now();
      if (state === 'COMPLETE') {
        const value = input.value;
        if (typeof value !== 'number' || Number.isNaN(value)) {
          const reason = `the value ${JSON.stringify(value ?? null)} is not acceptable`;
          return store.updateTrial(number, 'RUNNING', { state: 'FAIL', value: null, completedAt, systemAttrs: { fail_reason: reason } });
        }
        return store.updateTrial(number, 'RUNNING', { state, value, completedAt });
      }
      if (state === 'PRUNED') {
        // Optuna keeps the last intermediate value as a pruned trial's value.
        const step = lastStep(trial);
        const last = step === null ? null : trial.intermediateValues[step]!;
        return store.updateTrial(number, 'RUNNING', { state, value: last !== null && !Number.isNaN(last) ? last : null, completedAt });
      }
      return store.updateTrial(number, 'RUNNING', { state, value: null, completedAt });
    },
    report(number, step, value) {
      if (!Number.isInteger(step) || step < 0) throw new InputError(`report: step must be an integer ≥ 0, got ${step}`, { number, step });
      if (typeof value !== 'number') throw new InputError(`report: value must be a number, got ${JSON.stringify(value)}`, { number, step });
      running(number);
      return store.updateTrial(number, 'RUNNING', { intermediate: { step, value } });
    },
    shouldPrune(number) {
      return pruner.prune(view, running(number));
    },
    enqueue(params, enqueueOptions = {}) {
      const fixed = checkFixedParams(space, params);
      if (enqueueOptions.skipIfExists) {
        const exists = store.getTrials().some((t) => {
          const queued = t.systemAttrs[FIXED_PARAMS] as Params | undefined;
          return sameValues(fixed, t.state === 'WAITING' && queued ? queued : t.params);
        });
        if (exists) return null;
      }
      return store.createTrial({ state: 'WAITING', systemAttrs: { [FIXED_PARAMS]: jsonClone(fixed) as Record<string, JsonValue> } });
    },
    bestTrial() {
      let best: Trial | undefined;
      for (const trial of store.getTrials(['COMPLETE'])) {
        if (!best || (direction === 'maximize' ? trial.value! > best.value! : trial.value! < best.value!)) best = trial;
      }
      return best;
    },
    isExhausted: () => sampler.isExhausted?.(view) ?? false,
    toJSON: () => ({
      format: 'kiln.study/1', name, direction, space: searchSpaceToJSON(space),
      sampler: jsonClone(sampler.spec), pruner: jsonClone(pruner.spec), store: store.snapshot(),
    }),
  };
  return study;
}

/**
 * Rebuilds a study from `toJSON()`: same trials, same sampler and pruner settings, so the next `ask()`
 * proposes what the original study would have. Give `sampler`/`pruner` to override the recorded specs.
 */
export function restoreStudy(snapshot: StudySnapshot, overrides: Partial<Pick<StudyOptions, 'sampler' | 'pruner' | 'clock'>> = {}): Study {
  if (snapshot?.format !== 'kiln.study/1') throw new InputError(`not a study snapshot: format is ${JSON.stringify(snapshot?.format)}`, { format: snapshot?.format });
  return createStudy({
    name: snapshot.name,
    direction: snapshot.direction,
    space: parseSearchSpace(snapshot.space, 'study.space'),
    sampler: overrides.sampler ?? createSampler(snapshot.sampler),
    pruner: overrides.pruner ?? createPruner(snapshot.pruner),
    store: createMemoryTrialStore(snapshot.store),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
}
