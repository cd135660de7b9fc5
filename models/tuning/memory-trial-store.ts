import { ConflictError, InputError, NotFoundError } from '../../lib/errors';
import { jsonClone, sortedKeys, type JsonValue } from './json';
import { freezeTrial, trialFromJSON, trialToJSON, type Trial, type TrialState } from './trial';
import type { NewTrial, TrialPatch, TrialStore, TrialStoreSnapshot } from './trial-store';

/**
 * The in-memory `TrialStore`, optionally resumed from a snapshot (the workflow's case).
 *
 * @example const store = createMemoryTrialStore(previous.store)  // after continue-as-new
 */
export function createMemoryTrialStore(snapshot?: TrialStoreSnapshot): TrialStore {
  const trials: Trial[] = (snapshot?.trials ?? []).map(trialFromJSON);
  trials.forEach((trial, i) => {
    if (trial.number !== i) throw new InputError(`trial store snapshot: trial at position ${i} has number ${trial.number}`, { position: i });
  });
  let studyAttrs: Record<string, JsonValue> = Object.freeze(jsonClone(snapshot?.studyAttrs ?? {}));

  const find = (number: number): Trial => {
    const trial = Number.isInteger(number) ? trials[number] : undefined;
    if (!trial) throw new NotFoundError(`no trial number ${number}`, { number });
    return trial;
  };

  return {
    getTrials(states?: readonly TrialState[]) {
      return states ? trials.filter((trial) => states.includes(trial.state)) : trials.slice();
    },
    getTrial: find,
    createTrial(init: NewTrial) {
      const trial = freezeTrial({
        number: trials.length, state: init.state, params: {}, value: null, intermediateValues: {},
        systemAttrs: jsonClone(init.systemAttrs ?? {}), startedAt: init.startedAt ?? null, completedAt: null,
      });
      trials.push(trial);
      return trial;
    },
    updateTrial(number: number, expected: TrialState, patch: TrialPatch) {
      const current = find(number);
      if (current.state !== expected) {
        throw new ConflictError(`trial ${number} is ${current.state}, expected ${expected}`, { number, state: current.state, expected });
      }
      const intermediateValues = { ...current.intermediateValues };
      if (patch.intermediate && !(patch.intermediate.step in intermediateValues)) intermediateValues[patch.intermediate.step] = patch.intermediate.value;
      const next = freezeTrial({
        ...current,
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.params !== undefined ? { params: patch.params } : {}),
        ...(patch.value !== undefined ? { value: patch.value } : {}),
        ...(patch.startedAt !== undefined ? { startedAt: patch.startedAt } : {}),
        ...(patch.completedAt !== undefined ? { completedAt: patch.completedAt } : {}),
        intermediateValues,
        systemAttrs: patch.systemAttrs ? { ...current.systemAttrs, ...jsonClone(patch.systemAttrs) } : current.systemAttrs,
      });
      trials[number] = next;
      return next;
    },
    getStudyAttrs: () => studyAttrs,
    setStudyAttr(key: string, value: JsonValue) {
      studyAttrs = Object.freeze({ ...studyAttrs, [key]: jsonClone(value) });
    },
    snapshot() {
      return {
        studyAttrs: Object.fromEntries(sortedKeys(studyAttrs).map((key) => [key, jsonClone(studyAttrs[key]!)])),
        trials: trials.map(trialToJSON),
      };
    },
  };
}
