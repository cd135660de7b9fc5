import assert from 'node:assert/strict';
import { ConflictError, InputError } from '../../lib/errors';
import {
  createMedianPruner, createNopPruner, createRandomSampler, createStudy, createTpeSampler, parseSearchSpace, restoreStudy, type StudySnapshot,
} from '../../models/tuning';

const space = parseSearchSpace({
  booster: ['gbtree', 'dart'],
  eta: { type: 'float', low: 0.01, high: 0.3, log: true },
  max_depth: { type: 'int', low: 2, high: 10 },
  rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
});
const newStudy = (direction: 'minimize' | 'maximize' = 'minimize') =>
  createStudy({ name: 'telco-churn', space, direction, sampler: createRandomSampler({ seed: 1 }), pruner: createNopPruner() });

describe('study: ask and tell', () => {
  it('asks RUNNING trials numbered in order, with the active parameters', () => {
    const study = newStudy();
    const trials = [study.ask(), study.ask(), study.ask()];
    assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'RUNNING'], [1, 'RUNNING'], [2, 'RUNNING']]);
    for (const t of trials) assert.equal('rate_drop' in t.params, t.params.booster === 'dart');
  });

  it('tells COMPLETE, PRUNED and FAIL, keeping a pruned trial’s last value as Optuna does', () => {
    const study = newStudy();
    const [a, b, c] = [study.ask(), study.ask(), study.ask()];
    assert.equal(study.tell(a.number, { value: 0.4 }).state, 'COMPLETE');
    study.report(b.number, 0, 0.9);
    study.report(b.number, 3, 0.7);
    assert.deepEqual([study.tell(b.number, { state: 'PRUNED' })].map((t) => [t.state, t.value]), [['PRUNED', 0.7]]);
    assert.deepEqual([study.tell(c.number, { state: 'FAIL' })].map((t) => [t.state, t.value]), [['FAIL', null]]);
  });

  it('fails a trial told NaN or nothing, recording why', () => {
    const study = newStudy();
    const t = study.ask();
    const told = study.tell(t.number, { value: NaN });
    assert.equal(told.state, 'FAIL');
    assert.match(String(told.systemAttrs.fail_reason), /not acceptable/);
    assert.equal(study.tell(study.ask().number, {}).state, 'FAIL');
  });

  it('refuses a second tell and reports after the end with ConflictError', () => {
    const study = newStudy();
    const t = study.ask();
    study.tell(t.number, { value: 1 });
    assert.throws(() => study.tell(t.number, { value: 2 }), ConflictError);
    assert.throws(() => study.report(t.number, 1, 2), ConflictError);
    assert.throws(() => study.shouldPrune(t.number), ConflictError);
  });

  it('keeps the first value of a step reported twice and rejects bad steps', () => {
    const study = newStudy();
    const t = study.ask();
    study.report(t.number, 1, 0.5);
    assert.deepEqual(study.report(t.number, 1, 0.9).intermediateValues, { 1: 0.5 });
    assert.throws(() => study.report(t.number, -1, 0.5), /step must be an integer ≥ 0, got -1/);
    assert.throws(() => study.report(t.number, 1.5, 0.5), InputError);
  });

  for (const [direction, best] of [['minimize', 0.1], ['maximize', 0.9]] as const) {
    it(`finds the best COMPLETE trial (${direction}), the earliest on ties`, () => {
      const study = newStudy(direction);
      assert.equal(study.bestTrial(), undefined);
      for (const value of [0.5, 0.1, 0.9, 0.1, 0.9]) study.tell(study.ask().number, { value });
      const pruned = study.ask();
      study.report(pruned.number, 0, direction === 'minimize' ? -5 : 5);
      study.tell(pruned.number, { state: 'PRUNED' });
      assert.equal(study.bestTrial()!.value, best);
      assert.equal(study.bestTrial()!.number, direction === 'minimize' ? 1 : 2);
    });
  }

  it('consults the pruner with the trial’s reports', () => {
    const study = createStudy({ name: 's', space, sampler: createRandomSampler({ seed: 1 }), pruner: createMedianPruner({ nStartupTrials: 1 }) });
    const first = study.ask();
    study.report(first.number, 0, 1);
    study.tell(first.number, { value: 1 });
    const second = study.ask();
    study.report(second.number, 0, 5);
    assert.equal(study.shouldPrune(second.number), true);
  });

  it('stamps times from the injected clock only', () => {
    let now = 1000;
    const study = createStudy({ name: 's', space, sampler: createRandomSampler({ seed: 1 }), clock: () => (now += 10) });
    const t = study.ask();
    const done = study.tell(t.number, { value: 1 });
    assert.deepEqual([done.startedAt, done.completedAt], [1010, 1020]);
    assert.equal(newStudy().ask().startedAt, null);
  });

  it('validates its options', () => {
    assert.throws(() => createStudy({ name: '', space }), /study name must be a non-empty string/);
    assert.throws(() => createStudy({ name: 's', space, direction: 'up' as never }), /study direction must be minimize or maximize, got "up"/);
  });
});

describe('study: enqueue (warm start)', () => {
  it('asks enqueued trials first, in order, with their values', () => {
    const study = newStudy();
    study.enqueue({ booster: 'gbtree', eta: 0.05, max_depth: 6 });
    study.enqueue({ booster: 'dart', eta: 0.1 });
    const a = study.ask();
    const b = study.ask();
    assert.deepEqual(a.params, { booster: 'gbtree', eta: 0.05, max_depth: 6 });
    assert.equal(b.params.booster, 'dart');
    assert.equal(b.params.eta, 0.1);
    assert.ok(typeof b.params.max_depth === 'number' && typeof b.params.rate_drop === 'number', 'the rest is sampled');
    assert.equal(study.ask().number, 2);
  });

  it('skips a trial already enqueued or run when asked to', () => {
    const study = newStudy();
    assert.ok(study.enqueue({ eta: 0.05 }, { skipIfExists: true }));
    assert.equal(study.enqueue({ eta: 0.05 }, { skipIfExists: true }), null);
    study.tell(study.ask().number, { value: 1 });
    assert.equal(study.enqueue({ eta: 0.05 }, { skipIfExists: true }), null);
    assert.ok(study.enqueue({ eta: 0.05 }));
  });

  it('rejects unknown or out-of-range values, naming the parameter', () => {
    const study = newStudy();
    assert.throws(() => study.enqueue({ gamma: 1 }), /enqueued parameter gamma is not in the search space/);
    assert.throws(() => study.enqueue({ max_depth: 40 }), /enqueued parameter max_depth: 40 is outside int \[2, 10\]/);
  });

  it('drops an enqueued value whose condition does not hold', () => {
    const study = newStudy();
    study.enqueue({ booster: 'gbtree', rate_drop: 0.2 });
    assert.equal('rate_drop' in study.ask().params, false);
  });
});

describe('study: serialisation', () => {
  const build = () => {
    const study = createStudy({ name: 'telco-churn', space, direction: 'maximize', sampler: createTpeSampler({ seed: 11, constantLiar: true }), pruner: createMedianPruner() });
    for (let i = 0; i < 14; i++) {
      const t = study.ask();
      study.report(t.number, 0, i % 5 === 0 ? NaN : i / 20);
      if (i % 4 === 1) study.tell(t.number, { state: 'PRUNED' });
      else study.tell(t.number, { value: (t.params.eta as number) * (t.params.max_depth as number) });
    }
    study.ask(); // left RUNNING, as when a workflow continues-as-new mid-trial
    study.enqueue({ booster: 'dart' });
    return study;
  };

  it('is plain JSON and restores to the same state', () => {
    const study = build();
    const snapshot = study.toJSON();
    const text = JSON.stringify(snapshot);
    assert.deepEqual(JSON.parse(text), snapshot);
    const restored = restoreStudy(JSON.parse(text) as StudySnapshot);
    assert.deepEqual(restored.getTrials(), study.getTrials());
    assert.deepEqual(restored.toJSON(), snapshot);
    assert.equal(restored.bestTrial()?.number, study.bestTrial()?.number);
  });

  it('gives the same next suggestions after a restore', () => {
    const study = build();
    const restored = restoreStudy(JSON.parse(JSON.stringify(study.toJSON())));
    for (let i = 0; i < 5; i++) {
      const [a, b] = [study.ask(), restored.ask()];
      assert.deepEqual(b, a);
      study.tell(a.number, { value: i });
      restored.tell(b.number, { value: i });
    }
  });

  it('rejects something that is not a snapshot', () => {
    assert.throws(() => restoreStudy({ format: 'optuna' } as never), /not a study snapshot: format is "optuna"/);
  });
});
