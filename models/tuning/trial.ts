import type { Params } from './distributions';
import { decodeNumber, encodeNumber, sortedKeys, type JsonNumber, type JsonValue } from './json';

/** WAITING: enqueued, not yet asked. RUNNING: asked, not told. The last three are final. */
export type TrialState = 'WAITING' | 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL';
export const trialStates: readonly TrialState[] = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'];
export const finishedStates: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'FAIL'];

export type Direction = 'minimize' | 'maximize';

/** One trial as stored: an immutable value; stores replace it rather than mutate it. */
export interface Trial {
  /** 0, 1, 2, … in creation order within the study. */
  readonly number: number;
  readonly state: TrialState;
  readonly params: Params;
  /** The objective value: set when COMPLETE, the last intermediate value when PRUNED, else null. */
  readonly value: number | null;
  /** Step → reported value; steps are integers ≥ 0, so keys iterate in ascending order. May hold NaN. */
  readonly intermediateValues: Readonly<Record<number, number>>;
  /** Bookkeeping owned by samplers, pruners and the study (grid id, fixed params, completed rungs). */
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  /** Milliseconds from the study's injected clock; null without a clock. */
  readonly startedAt: number | null;
  readonly completedAt: number | null;
}

export interface TrialJson {
  number: number;
  state: TrialState;
  params: Record<string, JsonValue>;
  value: JsonNumber | null;
  intermediateValues: Record<string, JsonNumber>;
  systemAttrs: Record<string, JsonValue>;
  startedAt: number | null;
  completedAt: number | null;
}

/** The largest reported step, or null before any report. */
export function lastStep(trial: Trial): number | null {
  let last: number | null = null;
  for (const key of Object.keys(trial.intermediateValues)) last = Math.max(last ?? -1, Number(key));
  return last;
}

export function intermediateSteps(trial: Trial): number[] {
  return Object.keys(trial.intermediateValues).map(Number).sort((a, b) => a - b);
}

export function freezeTrial(trial: Trial): Trial {
  return Object.freeze({
    ...trial,
    params: Object.freeze({ ...trial.params }),
    intermediateValues: Object.freeze({ ...trial.intermediateValues }),
    systemAttrs: Object.freeze({ ...trial.systemAttrs }),
  });
}

export function trialToJSON(trial: Trial): TrialJson {
  const intermediateValues: Record<string, JsonNumber> = {};
  for (const step of intermediateSteps(trial)) intermediateValues[step] = encodeNumber(trial.intermediateValues[step]!);
  return {
    number: trial.number,
    state: trial.state,
    params: Object.fromEntries(sortedKeys(trial.params).map((name) => [name, trial.params[name]!])),
    value: trial.value === null ? null : encodeNumber(trial.value),
    intermediateValues,
    systemAttrs: Object.fromEntries(sortedKeys(trial.systemAttrs).map((key) => [key, trial.systemAttrs[key]!])),
    startedAt: trial.startedAt,
    completedAt: trial.completedAt,
  };
}

export function trialFromJSON(json: TrialJson): Trial {
  const intermediateValues: Record<number, number> = {};
  for (const key of Object.keys(json.intermediateValues)) intermediateValues[Number(key)] = decodeNumber(json.intermediateValues[key]!);
  return freezeTrial({
    number: json.number,
    state: json.state,
    params: json.params as Params,
    value: json.value === null ? null : decodeNumber(json.value),
    intermediateValues,
    systemAttrs: json.systemAttrs,
    startedAt: json.startedAt ?? null,
    completedAt: json.completedAt ?? null,
  });
}
