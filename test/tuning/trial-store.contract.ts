import assert from 'node:assert/strict';
import { ConflictError, NotFoundError } from '../../lib/errors';
import type { TrialStore } from '../../models/tuning';

export interface TrialStoreHarness<S extends TrialStore> {
  create(): S | Promise<S>;
  /** For stores that persist: the same store opened afresh (after writing what is pending). */
  reopen?(store: S): Promise<TrialStore>;
}

/**
 * What every `TrialStore` must do; run against each implementation. A persisting store is also reopened
 * after every test and must hand back exactly what it held, so each case doubles as a round trip.
 */
export function runTrialStoreContract<S extends TrialStore>(name: string, harness: TrialStoreHarness<S>): void {
  describe(`TrialStore contract: ${name}`, () => {
    let store: S;
    beforeEach(async () => (store = await harness.create()));
    const it = (title: string, body: () => void) =>
      globalThis.it(title, async () => {
        body();
        if (!harness.reopen) return;
        const reopened = await harness.reopen(store);
        assert.deepEqual(reopened.getTrials(), store.getTrials(), 'the reopened store holds the same trials');
        assert.deepEqual(reopened.snapshot(), store.snapshot(), 'the reopened store snapshots the same');
      });

    it('numbers trials 0, 1, 2 … in creation order', () => {
      assert.deepEqual([store.createTrial({ state: 'RUNNING' }), store.createTrial({ state: 'WAITING' }), store.createTrial({ state: 'RUNNING' })].map((t) => t.number), [0, 1, 2]);
      assert.deepEqual(store.getTrials().map((t) => t.number), [0, 1, 2]);
    });

    it('starts a trial empty', () => {
      const trial = store.createTrial({ state: 'RUNNING', startedAt: 5, systemAttrs: { a: 1 } });
      assert.deepEqual(trial, { number: 0, state: 'RUNNING', params: {}, value: null, intermediateValues: {}, systemAttrs: { a: 1 }, startedAt: 5, completedAt: null });
    });

    it('filters by state', () => {
      store.createTrial({ state: 'RUNNING' });
      store.createTrial({ state: 'WAITING' });
      store.updateTrial(0, 'RUNNING', { state: 'COMPLETE', value: 1 });
      assert.deepEqual(store.getTrials(['COMPLETE']).map((t) => t.number), [0]);
      assert.deepEqual(store.getTrials(['WAITING', 'RUNNING']).map((t) => t.number), [1]);
      assert.deepEqual(store.getTrials([]), []);
    });

    it('updates only from the expected state, else ConflictError', () => {
      store.createTrial({ state: 'RUNNING' });
      const done = store.updateTrial(0, 'RUNNING', { state: 'COMPLETE', value: 0.5, params: { x: 1 }, completedAt: 9 });
      assert.equal(done.state, 'COMPLETE');
      assert.equal(done.value, 0.5);
      assert.deepEqual(done.params, { x: 1 });
      assert.equal(done.completedAt, 9);
      assert.throws(() => store.updateTrial(0, 'RUNNING', { state: 'FAIL' }), ConflictError);
      assert.equal(store.getTrial(0).state, 'COMPLETE');
    });

    it('throws NotFoundError for an unknown trial', () => {
      assert.throws(() => store.getTrial(0), NotFoundError);
      assert.throws(() => store.updateTrial(3, 'RUNNING', {}), NotFoundError);
    });

    it('keeps the first value reported at a step, NaN included', () => {
      store.createTrial({ state: 'RUNNING' });
      store.updateTrial(0, 'RUNNING', { intermediate: { step: 1, value: NaN } });
      store.updateTrial(0, 'RUNNING', { intermediate: { step: 0, value: 0.5 } });
      store.updateTrial(0, 'RUNNING', { intermediate: { step: 1, value: 2 } });
      assert.deepEqual(Object.entries(store.getTrial(0).intermediateValues), [['0', 0.5], ['1', NaN]]);
    });

    it('merges system attributes', () => {
      store.createTrial({ state: 'RUNNING', systemAttrs: { a: 1 } });
      store.updateTrial(0, 'RUNNING', { systemAttrs: { b: [1, 'x'] } });
      store.updateTrial(0, 'RUNNING', { systemAttrs: { a: 2 } });
      assert.deepEqual(store.getTrial(0).systemAttrs, { a: 2, b: [1, 'x'] });
    });

    it('keeps study attributes', () => {
      assert.deepEqual(store.getStudyAttrs(), {});
      store.setStudyAttr('hyperband:max_resource', 81);
      store.setStudyAttr('note', { a: [1] });
      assert.deepEqual(store.getStudyAttrs(), { 'hyperband:max_resource': 81, note: { a: [1] } });
    });

    it('hands out values that cannot change the store', () => {
      store.createTrial({ state: 'RUNNING', systemAttrs: { a: 1 } });
      const trial = store.getTrial(0);
      assert.throws(() => ((trial as { state: string }).state = 'FAIL'), TypeError);
      assert.throws(() => ((trial.systemAttrs as Record<string, unknown>).a = 2), TypeError);
      (store.getTrials() as unknown[]).pop();
      assert.equal(store.getTrials().length, 1);
    });

    it('snapshots to plain JSON with NaN and Infinity kept', () => {
      store.createTrial({ state: 'RUNNING' });
      store.updateTrial(0, 'RUNNING', { intermediate: { step: 0, value: NaN } });
      store.updateTrial(0, 'RUNNING', { intermediate: { step: 1, value: -Infinity } });
      store.updateTrial(0, 'RUNNING', { state: 'COMPLETE', value: Infinity, params: { b: 'x', a: 1 } });
      store.setStudyAttr('k', 1);
      const snapshot = store.snapshot();
      assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
      assert.deepEqual(snapshot.trials[0]!.intermediateValues, { 0: 'NaN', 1: '-Infinity' });
      assert.equal(snapshot.trials[0]!.value, 'Infinity');
      assert.deepEqual(Object.keys(snapshot.trials[0]!.params), ['a', 'b']);
    });
  });
}
