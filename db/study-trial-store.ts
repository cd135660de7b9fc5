import { createMemoryTrialStore, trialToJSON, type TrialStore } from '../models/tuning';
import type { StudyStore } from './study-store';

export interface DatabaseTrialStore extends TrialStore {
  /** Resolves once every change made so far is in the database; rejects when the last write failed (its changes stay pending for the next flush). */
  flush(): Promise<void>;
}

/**
 * A `TrialStore` on a study already in the database (`saveStudy` created it): reads come from a copy
 * loaded at open, every change is written through in the background, in order, the changes of one tick in
 * one transaction (`saveStudy`, so writes are upserts by trial number). It stays synchronous like every
 * `TrialStore`, so `createStudy({ store })` runs a study persisted as it goes, in any process; a study has
 * one writer at a time (in Kiln, its workflow's mirror activity).
 *
 * @example
 * const store = await openDatabaseTrialStore(studies, 'telco-churn/bench-1');
 * const study = createStudy({ name: 'telco-churn/bench-1', space, store });
 * …; await store.flush();
 */
export async function openDatabaseTrialStore(studies: StudyStore, name: string): Promise<DatabaseTrialStore> {
  const { study, trials } = await studies.getStudy(name);
  const memory = createMemoryTrialStore({ studyAttrs: study.attrs, trials });
  let revision = study.revision;
  const dirty = new Set<number>();
  let attrsChanged = false;
  let queued = false;
  let writes: Promise<void> = Promise.resolve();
  let failure: unknown;

  const write = async (): Promise<void> => {
    queued = false;
    const numbers = [...dirty].sort((a, b) => a - b);
    dirty.clear();
    const withAttrs = attrsChanged;
    attrsChanged = false;
    try {
      await studies.saveStudy({
        header: { ...study, attrs: { ...memory.getStudyAttrs() } },
        revision: revision + 1,
        trials: numbers.map((number) => trialToJSON(memory.getTrial(number))),
      });
      revision++;
      failure = undefined;
    } catch (error) {
      failure = error;
      for (const number of numbers) dirty.add(number);
      attrsChanged ||= withAttrs;
    }
  };
  const queueWrite = (): void => {
    if (queued) return;
    queued = true;
    writes = writes.then(write);
  };
  const changed = (number?: number): void => {
    if (number === undefined) attrsChanged = true;
    else dirty.add(number);
    queueWrite();
  };

  return {
    getTrials: (states) => memory.getTrials(states),
    getTrial: (number) => memory.getTrial(number),
    createTrial(init) {
      const trial = memory.createTrial(init);
      changed(trial.number);
      return trial;
    },
    updateTrial(number, expected, patch) {
      const trial = memory.updateTrial(number, expected, patch);
      changed(number);
      return trial;
    },
    getStudyAttrs: () => memory.getStudyAttrs(),
    setStudyAttr(key, value) {
      memory.setStudyAttr(key, value);
      changed();
    },
    snapshot: () => memory.snapshot(),
    async flush() {
      // What a failed write left pending is tried again.
      if (dirty.size > 0 || attrsChanged) queueWrite();
      await writes;
      if (failure !== undefined) throw failure;
    },
  };
}
