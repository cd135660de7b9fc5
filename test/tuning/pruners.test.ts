import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import {
  createHyperbandPruner, createMedianPruner, createNopPruner, createPercentilePruner, createPruner, createRandomSampler, createStudy, createSuccessiveHalvingPruner,
  parseSearchSpace, type Direction, type Pruner,
} from '../../models/tuning';
import { bestIntermediateValue, nanPercentile } from '../../models/tuning/percentile-pruner';
import { runCurves, runPrunerContract } from './pruner.contract';

runPrunerContract('none', () => createNopPruner());
runPrunerContract('median', () => createMedianPruner({ nStartupTrials: 3, nWarmupSteps: 2 }));
runPrunerContract('percentile 25, interval 3', () => createPercentilePruner({ percentile: 25, nStartupTrials: 2, intervalSteps: 3 }));
runPrunerContract('successive halving, auto', () => createSuccessiveHalvingPruner());
runPrunerContract('successive halving', () => createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }));
runPrunerContract('hyperband, auto', () => createHyperbandPruner());
runPrunerContract('hyperband', () => createHyperbandPruner({ minResource: 1, maxResource: 30, reductionFactor: 3 }));

const space = parseSearchSpace({ x: { type: 'float', low: 0, high: 1 } });
const newStudy = (pruner: Pruner, direction: Direction = 'minimize') => createStudy({ name: 'pruners', space, direction, pruner, sampler: createRandomSampler({ seed: 0 }) });

/** Completed trials that each reported `values[i]` at `step`. */
function withCompleted(pruner: Pruner, values: number[], step = 1, direction: Direction = 'minimize') {
  const study = newStudy(pruner, direction);
  for (const v of values) {
    const t = study.ask();
    study.report(t.number, step, v);
    study.tell(t.number, { value: v });
  }
  return study;
}

describe('none pruner', () => {
  it('never prunes', () => assert.deepEqual(runCurves(createNopPruner(), 20).decisions, []));
});

describe('percentile and median pruners (after optuna tests/pruners_tests/test_percentile.py, test_median.py)', () => {
  it('does not prune at the first trial', () => {
    const study = newStudy(createPercentilePruner({ percentile: 25, nStartupTrials: 0 }));
    const t = study.ask();
    study.report(t.number, 1, 1);
    assert.equal(study.shouldPrune(t.number), false);
  });

  for (const [direction, latest] of [['minimize', 2.1], ['maximize', 3.9]] as const) {
    it(`prunes a value outside the top 25% (${direction})`, () => {
      const study = withCompleted(createPercentilePruner({ percentile: 25, nStartupTrials: 0 }), [1, 2, 3, 4, 5], 1, direction);
      const t = study.ask();
      assert.equal(study.shouldPrune(t.number), false, 'nothing reported yet');
      study.report(t.number, 1, latest);
      assert.equal(study.shouldPrune(t.number), true);
    });
  }

  it('handles NaN: prunes a NaN-only trial, does not prune when the percentile is NaN', () => {
    const pruner = createPercentilePruner({ percentile: 25, nStartupTrials: 0 });
    const study = newStudy(pruner);
    let t = study.ask();
    study.report(t.number, 1, NaN);
    assert.equal(study.shouldPrune(t.number), false, 'no previous trials');
    study.tell(t.number, { value: 1 });
    t = study.ask();
    study.report(t.number, 1, NaN);
    assert.equal(study.shouldPrune(t.number), true, 'best intermediate value is NaN');
    study.tell(t.number, { value: 1 });
    t = study.ask();
    study.report(t.number, 1, 1);
    assert.equal(study.shouldPrune(t.number), false, 'the percentile of NaNs is NaN');
  });

  it('computes the best intermediate value and percentiles as NumPy does', () => {
    const study = newStudy(createNopPruner());
    const t = study.ask();
    study.report(t.number, 0, 0.1);
    study.report(t.number, 1, 0.2);
    const trial = study.report(t.number, 2, NaN);
    assert.equal(bestIntermediateValue(trial, 'minimize'), 0.1);
    assert.equal(bestIntermediateValue(trial, 'maximize'), 0.2);
    assert.ok(Math.abs(nanPercentile([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 25) - 0.3) < 1e-12);
    assert.ok(Math.abs(nanPercentile([0.1, 0.2, 0.3, 0.4, 0.5, NaN, NaN, NaN, NaN], 25) - 0.2) < 1e-12);
    assert.ok(Number.isNaN(nanPercentile([NaN, NaN], 75)));
  });

  it('waits for nStartupTrials completed trials (test_median_pruner_n_startup_trials)', () => {
    const study = newStudy(createMedianPruner({ nStartupTrials: 2 }));
    const first = study.ask();
    study.report(first.number, 1, 1);
    study.tell(first.number, { value: 1 });
    const second = study.ask();
    study.report(second.number, 1, 2);
    assert.equal(study.shouldPrune(second.number), false);
    study.tell(second.number, { value: 2 });
    const third = study.ask();
    study.report(third.number, 1, 3);
    assert.equal(study.shouldPrune(third.number), true);
  });

  it('waits for nWarmupSteps (test_median_pruner_n_warmup_steps)', () => {
    const study = newStudy(createMedianPruner({ nStartupTrials: 0, nWarmupSteps: 1 }));
    const first = study.ask();
    study.report(first.number, 0, 1);
    study.report(first.number, 1, 1);
    study.tell(first.number, { value: 1 });
    const second = study.ask();
    study.report(second.number, 0, 2);
    assert.equal(study.shouldPrune(second.number), false);
    study.report(second.number, 1, 2);
    assert.equal(study.shouldPrune(second.number), true);
  });

  // test_median_pruner_interval_steps over steps 0–6: (warm-up, interval, report every, steps where pruning happens).
  // A check postponed for lack of a report happens at the next report (warm-up 1, interval 4, every 2 → step 2).
  const intervals: Array<[number, number, number, number[]]> = [
    [0, 1, 1, [0, 1, 2, 3, 4, 5, 6]],
    [1, 1, 1, [1, 2, 3, 4, 5, 6]],
    [0, 3, 1, [0, 3, 6]],
    [1, 3, 1, [1, 4]],
    [0, 3, 2, [0, 4, 6]],
    [1, 4, 2, [2, 6]],
    [0, 10, 1, [0]],
    [2, 10, 1, [2]],
  ];
  for (const [warmup, interval, every, expected] of intervals) {
    it(`checks only at interval steps (warm-up ${warmup}, interval ${interval}, reports every ${every})`, () => {
      const n = 7;
      const study = newStudy(createMedianPruner({ nStartupTrials: 0, nWarmupSteps: warmup, intervalSteps: interval }));
      const first = study.ask();
      for (let step = 0; step < n; step++) study.report(first.number, step, 1);
      study.tell(first.number, { value: 1 });
      const second = study.ask();
      const pruned: number[] = [];
      for (let step = 0; step < n; step += every) {
        study.report(second.number, step, 2);
        if (study.shouldPrune(second.number)) pruned.push(step);
      }
      assert.deepEqual(pruned, expected);
    });
  }

  it('needs nMinTrials reports at the step', () => {
    const study = withCompleted(createPercentilePruner({ percentile: 50, nStartupTrials: 0, nMinTrials: 3 }), [1, 1]);
    const t = study.ask();
    study.report(t.number, 1, 5);
    assert.equal(study.shouldPrune(t.number), false);
  });

  it('validates its options, naming them', () => {
    assert.throws(() => createPercentilePruner({ percentile: 101 }), /percentile pruner: percentile must be a number between 0 and 100, got 101/);
    assert.throws(() => createMedianPruner({ intervalSteps: 0 }), /median pruner: intervalSteps must be an integer ≥ 1, got 0/);
    assert.throws(() => createMedianPruner({ nStartupTrials: -1 }), InputError);
  });
});

describe('successive halving pruner (after optuna tests/pruners_tests/test_successive_halving.py)', () => {
  for (const [direction, value] of [['minimize', 2], ['maximize', 0.5]] as const) {
    it(`prunes a worse second trial at the first rung (${direction})`, () => {
      const study = newStudy(createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }), direction);
      const first = study.ask();
      study.report(first.number, 1, 1);
      assert.equal(study.shouldPrune(first.number), false, 'not at the first trial');
      const second = study.ask();
      assert.equal(study.shouldPrune(second.number), false, 'not without intermediate values');
      study.report(second.number, 1, value);
      assert.equal(study.shouldPrune(second.number), true);
    });
  }

  const rungs = (study: ReturnType<typeof newStudy>, number: number) => Object.keys(study.getTrials()[number]!.systemAttrs).filter((k) => k.startsWith('completed_rung_')).sort();

  it('promotes through as many rungs as the value earns (test_successive_halving_pruner_rung_check)', () => {
    const pruner = createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const study = newStudy(pruner);
    for (let i = 0; i < 7; i++) {
      const t = study.ask();
      study.report(t.number, 7, 0.1 * (i + 1));
      study.shouldPrune(t.number);
    }
    const check = (value: number, expected: string[]) => {
      const t = study.ask();
      study.report(t.number, 7, value);
      study.shouldPrune(t.number);
      assert.deepEqual(rungs(study, t.number), expected);
    };
    check(0.75, ['completed_rung_0']);
    check(0.25, ['completed_rung_0', 'completed_rung_1']);
    check(0.05, ['completed_rung_0', 'completed_rung_1', 'completed_rung_2']);
  });

  it('never prunes the first trial, which completes rungs 0–3 by step 9', () => {
    const study = newStudy(createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }));
    const t = study.ask();
    for (let step = 0; step < 10; step++) {
      study.report(t.number, step, 1);
      assert.equal(study.shouldPrune(t.number), false);
    }
    assert.deepEqual(rungs(study, 0), ['completed_rung_0', 'completed_rung_1', 'completed_rung_2', 'completed_rung_3']);
  });

  it('prunes NaN only at a rung completion point', () => {
    const study = newStudy(createSuccessiveHalvingPruner({ minResource: 2, reductionFactor: 2 }));
    const t = study.ask();
    study.report(t.number, 1, NaN);
    assert.equal(study.shouldPrune(t.number), false);
    study.report(t.number, 2, NaN);
    assert.equal(study.shouldPrune(t.number), true);
  });

  for (const [reports, trials] of [[0, 1], [1, 1], [2, 1], [0, 2], [1, 2], [2, 2]] as const) {
    it(`estimates the minimum resource only once a trial completed with reports (${reports} reports, ${trials} trials)`, () => {
      const study = newStudy(createSuccessiveHalvingPruner());
      for (let i = 0; i < trials; i++) {
        const t = study.ask();
        let pruned = false;
        for (let step = 0; step < reports && !pruned; step++) {
          study.report(t.number, step, 1 / (step + 1));
          pruned = study.shouldPrune(t.number);
        }
        study.tell(t.number, pruned ? { state: 'PRUNED' } : { value: 1 });
      }
      const estimated = study.getStudyAttrs()['successive_halving:min_resource:0'];
      if (reports > 0 && trials > 1) assert.ok(typeof estimated === 'number' && estimated > 0);
      else assert.equal(estimated, undefined);
    });
  }

  it('ends rung 0 at minResource × reductionFactor^minEarlyStoppingRate', () => {
    const check = (options: Parameters<typeof createSuccessiveHalvingPruner>[0], marks: Array<[number, string[]]>) => {
      const study = newStudy(createSuccessiveHalvingPruner(options));
      const t = study.ask();
      for (const [step, expected] of marks) {
        study.report(t.number, step, 1);
        assert.equal(study.shouldPrune(t.number), false);
        assert.deepEqual(rungs(study, 0), expected, `step ${step}`);
      }
    };
    check({ minResource: 1, reductionFactor: 2 }, [[1, ['completed_rung_0']]]);
    check({ minResource: 2, reductionFactor: 2 }, [[1, []], [2, ['completed_rung_0']]]);
    check({ minResource: 1, reductionFactor: 3 }, [[1, ['completed_rung_0']], [2, ['completed_rung_0']], [3, ['completed_rung_0', 'completed_rung_1']]]);
    check({ minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 1 }, [[1, []], [2, ['completed_rung_0']]]);
  });

  it('needs bootstrapCount trials at a rung before promoting any', () => {
    const study = newStudy(createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 1 }));
    const first = study.ask();
    const second = study.ask();
    study.report(first.number, 1, 1);
    assert.equal(study.shouldPrune(first.number), true);
    study.report(second.number, 1, 1);
    assert.equal(study.shouldPrune(second.number), false);
  });

  it('validates its options, naming them', () => {
    assert.throws(() => createSuccessiveHalvingPruner({ minResource: 0 }), /successive halving pruner: minResource must be an integer ≥ 1, got 0/);
    assert.throws(() => createSuccessiveHalvingPruner({ reductionFactor: 1 }), /reductionFactor must be an integer ≥ 2, got 1/);
    assert.throws(() => createSuccessiveHalvingPruner({ minEarlyStoppingRate: -1 }), InputError);
    assert.throws(() => createSuccessiveHalvingPruner({ bootstrapCount: 1 }), /bootstrapCount \(1\) needs an explicit minResource/);
  });
});

describe('hyperband pruner (after optuna tests/pruners_tests/test_hyperband.py)', () => {
  it('spreads trials over floor(log_η(max/min)) + 1 brackets by crc32 of study name and number', () => {
    const pruner = createHyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 });
    const study = newStudy(pruner);
    const brackets = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const t = study.ask();
      study.report(t.number, 81, 1);
      study.shouldPrune(t.number);
      brackets.add(Object.keys(study.getTrials()[t.number]!.systemAttrs).sort().join());
      study.tell(t.number, { value: 1 });
    }
    // Bracket s's first rung ends at 3^s: a trial at step 81 completes 5 − s rungs, so five brackets show five patterns.
    assert.equal(brackets.size, 5);
  });

  it('does nothing until the maximum resource is known (auto)', () => {
    const study = newStudy(createHyperbandPruner());
    const t = study.ask();
    study.report(t.number, 5, 100);
    assert.equal(study.shouldPrune(t.number), false);
    assert.equal(study.getStudyAttrs()['hyperband:max_resource'], undefined);
    study.tell(t.number, { value: 1 });
    const next = study.ask();
    study.report(next.number, 0, 100);
    study.shouldPrune(next.number);
    assert.equal(study.getStudyAttrs()['hyperband:max_resource'], 6);
  });

  it('prunes more than nothing and less than everything on learning curves', () => {
    const { decisions } = runCurves(createHyperbandPruner({ minResource: 1, maxResource: 30, reductionFactor: 3 }), 40);
    assert.ok(decisions.length > 5 && decisions.length < 38, `${decisions.length} pruned`);
  });

  it('validates its options', () => {
    assert.throws(() => createHyperbandPruner({ maxResource: 'x' as never }), /hyperband pruner: maxResource must be an integer/);
    assert.throws(() => createHyperbandPruner({ bootstrapCount: 2 }), /bootstrapCount \(2\) needs an explicit maxResource/);
    assert.throws(() => createPruner({ type: 'patient' }), /pruner type must be none, median, percentile, successive-halving or hyperband, got "patient"/);
  });
});
