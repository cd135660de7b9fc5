import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { connectDatabase, createStudyStore, migrateToLatest, openDatabaseTrialStore, type StudyHeader, type StudyStore } from '../../db';
import { NotFoundError } from '../../lib/errors';
import { createRandomSampler, createStudy, parseSearchSpace, restoreStudy, type TrialJson } from '../../models/tuning';
import { runTrialStoreContract } from '../tuning/trial-store.contract';
import { engines, type TestEngine } from './engines';

const space = { x: { type: 'float', low: 0, high: 1 }, depth: { type: 'int', low: 1, high: 8 } };

function header(name: string, overrides: Partial<StudyHeader> = {}): StudyHeader {
  return {
    name, modelName: 'churn', workflowId: `train-churn-study`, direction: 'maximize',
    sampler: { type: 'random', seed: 1 }, pruner: { type: 'median' }, space, attrs: {}, state: 'running', ...overrides,
  };
}

function trial(number: number, patch: Partial<TrialJson> = {}): TrialJson {
  return { number, state: 'RUNNING', params: { depth: 3, x: 0.5 }, value: null, intermediateValues: {}, systemAttrs: {}, startedAt: 1_700_000_000_000 + number, completedAt: null, ...patch };
}

// Studies and trials on both engines: the TrialStore contract (each case reopened from the database),
// then what the tuning workflow's mirror relies on.
for (const spec of engines) {
  describe(`study store on ${spec.name}`, function () {
    this.timeout(60_000);
    let engine: TestEngine | undefined;
    let db: Knex;
    let studies: StudyStore;
    let count = 0;
    const fresh = async (overrides: Partial<StudyHeader> = {}) => {
      const name = `churn/study-${++count}`;
      await studies.saveStudy({ header: header(name, overrides), revision: 0, trials: [] });
      return name;
    };

    before(async () => {
      engine = await spec.start();
      db = connectDatabase(await engine.freshUrl());
      await migrateToLatest(db);
      studies = createStudyStore(db);
    });
    after(async () => {
      await db?.destroy();
      await engine?.close();
    });

    let contractStudy = '';
    runTrialStoreContract('database (knex)', {
      create: async () => openDatabaseTrialStore(studies, (contractStudy = await fresh())),
      reopen: async (store) => {
        await store.flush();
        return openDatabaseTrialStore(studies, contractStudy);
      },
    });

    it('runs a whole study on the database store and restores it from the tables', async () => {
      const name = await fresh();
      const store = await openDatabaseTrialStore(studies, name);
      const study = createStudy({ name, space: parseSearchSpace(space), direction: 'maximize', sampler: createRandomSampler({ seed: 3 }), store });
      for (let i = 0; i < 12; i++) {
        const t = study.ask();
        for (let step = 0; step < 3; step++) study.report(t.number, step, (t.params.x as number) * step);
        study.tell(t.number, i % 4 === 3 ? { state: 'PRUNED' } : { value: (t.params.x as number) - (t.params.depth as number) / 100 });
      }
      await store.flush();
      const restored = restoreStudy(await studies.loadSnapshot(name));
      assert.deepEqual(restored.getTrials(), study.getTrials());
      assert.deepEqual(restored.bestTrial(), study.bestTrial());
      const record = (await studies.findStudy(name))!;
      assert.equal(record.bestTrialNumber, study.bestTrial()!.number);
      assert.equal(record.bestValue, study.bestTrial()!.value);
    });

    it('saves idempotently: the same save twice leaves one row per trial', async () => {
      const name = await fresh();
      const save = { header: header(name), revision: 1, trials: [trial(0), trial(1, { state: 'COMPLETE', value: 0.8, completedAt: 1_700_000_001_000 })] };
      await studies.saveStudy(save);
      await studies.saveStudy(save);
      const { study, trials } = await studies.getStudy(name);
      assert.deepEqual(trials, save.trials);
      assert.equal(study.bestTrialNumber, 1);
      assert.equal(study.bestValue, 0.8);
      assert.equal(Number((await db('trials').where({ study_id: study.id }).count({ n: '*' }))[0]!.n), 2);
    });

    it('ignores a save older than the stored revision', async () => {
      const name = await fresh();
      await studies.saveStudy({ header: header(name, { state: 'complete' }), revision: 5, trials: [trial(0, { state: 'COMPLETE', value: 0.7 })] });
      const stale = await studies.saveStudy({ header: header(name), revision: 4, trials: [trial(0), trial(1)] });
      assert.deepEqual(stale, { applied: false });
      const { study, trials } = await studies.getStudy(name);
      assert.equal(study.state, 'complete');
      assert.deepEqual(trials.map((t) => t.state), ['COMPLETE']);
    });

    it('never turns a finished trial back into a running one', async () => {
      const name = await fresh();
      await studies.saveStudy({ header: header(name), revision: 2, trials: [trial(0, { state: 'PRUNED', value: 0.1, intermediateValues: { 5: 0.1 } })] });
      await studies.saveStudy({ header: header(name), revision: 3, trials: [trial(0)] });
      assert.equal((await studies.getStudy(name)).trials[0]!.state, 'PRUNED');
    });

    it('keeps NaN and infinities of intermediate values, and infinite values', async () => {
      const name = await fresh({ direction: 'minimize' });
      const odd = trial(0, { state: 'COMPLETE', value: '-Infinity', intermediateValues: { 0: 'NaN', 1: 'Infinity', 2: 0.25 } });
      await studies.saveStudy({ header: header(name, { direction: 'minimize' }), revision: 1, trials: [odd, trial(1, { state: 'COMPLETE', value: 2 })] });
      const { study, trials } = await studies.getStudy(name);
      assert.deepEqual(trials[0], odd);
      assert.equal(study.bestValue, -Infinity);
    });

    it('lists studies newest first with trial counts, filtered by model', async () => {
      const a = await fresh({ modelName: 'listed' });
      const b = await fresh({ modelName: 'listed' });
      await studies.saveStudy({ header: header(b, { modelName: 'listed' }), revision: 1, trials: [trial(0, { state: 'COMPLETE', value: 1 }), trial(1, { state: 'FAIL' }), trial(2)] });
      const listed = await studies.listStudies({ modelName: 'listed' });
      assert.deepEqual(listed.map((s) => s.name), [b, a]);
      assert.deepEqual(listed[0]!.trialCounts, { WAITING: 0, RUNNING: 1, COMPLETE: 1, PRUNED: 0, FAIL: 1 });
      assert.deepEqual(listed[1]!.trialCounts, { WAITING: 0, RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0 });
      assert.deepEqual(await studies.listStudies({ modelName: 'nobody' }), []);
    });

    it('finds the best trials of the model\'s latest other study that completed any', async () => {
      const older = await fresh({ modelName: 'warm' });
      await studies.saveStudy({ header: header(older, { modelName: 'warm' }), revision: 1, trials: [trial(0, { state: 'COMPLETE', value: 0.5, params: { x: 0.1 } })] });
      const previous = await fresh({ modelName: 'warm' });
      await studies.saveStudy({
        header: header(previous, { modelName: 'warm' }), revision: 1,
        trials: [0.6, 0.9, 0.7, 0.9].map((value, i) => trial(i, { state: 'COMPLETE', value, params: { x: value, depth: i + 1 } })).concat(trial(4, { state: 'PRUNED', value: 0.95 })),
      });
      const current = await fresh({ modelName: 'warm' });
      const best = await studies.bestTrialsOfPreviousStudy('warm', { exclude: current, count: 3 });
      assert.equal(best?.study, previous);
      assert.deepEqual(best?.trials.map((t) => [t.number, t.value]), [[1, 0.9], [3, 0.9], [2, 0.7]]);
      assert.deepEqual(best?.trials[0]!.params, { depth: 2, x: 0.9 });
      assert.equal(await studies.bestTrialsOfPreviousStudy('cold', { exclude: 'x', count: 3 }), undefined);
    });

    it('writes through: a flushed change is in the tables, and a failed write is retried by the next flush', async () => {
      const name = await fresh();
      const store = await openDatabaseTrialStore(studies, name);
      store.createTrial({ state: 'RUNNING' });
      store.setStudyAttr('note', 'kept');
      await store.flush();
      assert.deepEqual((await studies.getStudy(name)).trials.map((t) => t.number), [0]);
      assert.deepEqual((await studies.findStudy(name))!.attrs, { note: 'kept' });

      let down = true;
      const flaky = await openDatabaseTrialStore({ ...studies, saveStudy: (input) => (down ? Promise.reject(new Error('database down')) : studies.saveStudy(input)) }, name);
      flaky.createTrial({ state: 'RUNNING' });
      await assert.rejects(flaky.flush(), /database down/);
      assert.equal((await studies.getStudy(name)).trials.length, 1);
      down = false;
      await flaky.flush();
      assert.deepEqual((await studies.getStudy(name)).trials.map((t) => t.number), [0, 1]);
    });

    it('rejects unknown studies and bad names', async () => {
      await assert.rejects(studies.getStudy('missing'), NotFoundError);
      await assert.rejects(openDatabaseTrialStore(studies, 'missing'), NotFoundError);
      await assert.rejects(studies.saveStudy({ header: header('ok', { modelName: 'bad name' }), revision: 0, trials: [] }), /modelName/);
    });
  });
}
