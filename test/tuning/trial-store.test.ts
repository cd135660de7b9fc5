import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { createMemoryTrialStore } from '../../models/tuning';
import { runTrialStoreContract } from './trial-store.contract';

runTrialStoreContract('memory', { create: () => createMemoryTrialStore() });

// The same store carried through JSON (a workflow's continue-as-new) must behave the same.
runTrialStoreContract('memory, restored from a JSON snapshot', {
  create: () => createMemoryTrialStore(JSON.parse(JSON.stringify(createMemoryTrialStore().snapshot()))),
  reopen: async (store) => createMemoryTrialStore(JSON.parse(JSON.stringify(store.snapshot()))),
});

describe('memory trial store', () => {
  it('restores every trial from a snapshot, NaN and Infinity included', () => {
    const store = createMemoryTrialStore();
    store.createTrial({ state: 'RUNNING', startedAt: 1 });
    store.updateTrial(0, 'RUNNING', { intermediate: { step: 3, value: NaN } });
    store.updateTrial(0, 'RUNNING', { state: 'PRUNED', value: Infinity, params: { x: 1 } });
    store.createTrial({ state: 'WAITING', systemAttrs: { fixed_params: { x: 2 } } });
    const restored = createMemoryTrialStore(JSON.parse(JSON.stringify(store.snapshot())));
    assert.deepEqual(restored.getTrials(), store.getTrials());
    assert.equal(restored.createTrial({ state: 'RUNNING' }).number, 2);
  });

  it('rejects a snapshot with gaps in the numbering', () => {
    const snapshot = createMemoryTrialStore().snapshot();
    snapshot.trials.push({ number: 1, state: 'RUNNING', params: {}, value: null, intermediateValues: {}, systemAttrs: {}, startedAt: null, completedAt: null });
    assert.throws(() => createMemoryTrialStore(snapshot), InputError);
  });
});
