import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import {
  createGridSampler, createNopPruner, createRandomSampler, createSampler, createStudy, createTpeSampler, floatDistribution, intDistribution, parseSearchSpace,
} from '../../models/tuning';
import { sampleUniform } from '../../models/tuning/uniform';
import { deriveRandom } from '../../models/tuning/rng';
import { runSamplerContract, runStudy } from './sampler.contract';

const gridSpace = parseSearchSpace({
  booster: ['gbtree', 'dart'],
  depth: { type: 'int', low: 2, high: 8, step: 2 },
  rate_drop: { type: 'float', low: 0, high: 0.4, step: 0.1, when: { booster: 'dart' } },
});

runSamplerContract('random', (seed) => createRandomSampler({ seed }));
runSamplerContract('grid', (seed) => createGridSampler({ seed }), { space: gridSpace });
runSamplerContract('tpe', (seed) => createTpeSampler({ seed }));
runSamplerContract('tpe, 3 startup trials', (seed) => createTpeSampler({ seed, nStartupTrials: 3 }));
runSamplerContract('tpe multivariate', (seed) => createTpeSampler({ seed, multivariate: true, nStartupTrials: 5 }));
runSamplerContract('tpe multivariate, constant liar', (seed) => createTpeSampler({ seed, multivariate: true, constantLiar: true, nStartupTrials: 5 }));

describe('random sampler', () => {
  it('draws uniformly, end values included, over discrete and log ranges', () => {
    const counts = new Map<number, number>();
    const d = intDistribution({ low: 1, high: 4 });
    for (let i = 0; i < 4000; i++) {
      const v = sampleUniform(d, deriveRandom(1, i)) as number;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), [1, 2, 3, 4]);
    for (const count of counts.values()) assert.ok(Math.abs(count - 1000) < 120, `count ${count}`);
    const log = floatDistribution({ low: 1e-4, high: 1, log: true });
    const small = Array.from({ length: 4000 }, (_, i) => sampleUniform(log, deriveRandom(2, i)) as number).filter((v) => v < 1e-2).length;
    assert.ok(Math.abs(small - 2000) < 150, `half the draws below 1e-2 in log space, got ${small}`);
  });

  it('validates its seed', () => {
    assert.throws(() => createRandomSampler({ seed: -1 }), /random sampler: seed must be an integer in \[0, 2\^32\), got -1/);
    assert.throws(() => createRandomSampler({ seed: 1.5 }), InputError);
  });
});

describe('grid sampler', () => {
  it('visits every grid point once, then says it is exhausted (Optuna test_study_optimize_with_exceeding_number_of_trials)', () => {
    const space = parseSearchSpace({ a: [1, 2, 3], b: ['x', 'y'] });
    const study = createStudy({ name: 'grid', space, sampler: createGridSampler({ seed: 0 }), pruner: createNopPruner() });
    const seen = new Set<string>();
    while (!study.isExhausted()) {
      const trial = study.ask();
      seen.add(JSON.stringify(trial.params));
      study.tell(trial.number, { value: 0 });
    }
    assert.equal(seen.size, 6);
    assert.equal(study.getTrials().length, 6);
  });

  it('gives parallel trials distinct points and counts running points as taken', () => {
    const space = parseSearchSpace({ a: [1, 2, 3, 4] });
    const study = createStudy({ name: 'grid', space, sampler: createGridSampler({ seed: 3 }), pruner: createNopPruner() });
    const running = [study.ask(), study.ask(), study.ask(), study.ask()];
    assert.deepEqual(running.map((t) => t.params.a).sort(), [1, 2, 3, 4]);
    assert.ok(study.isExhausted());
  });

  it('uses an explicit grid and checks it against the space', () => {
    const space = parseSearchSpace({ eta: { type: 'float', low: 0.01, high: 0.3, log: true }, depth: { type: 'int', low: 2, high: 10 } });
    const study = runStudy(createGridSampler({ seed: 1, grid: { eta: [0.05, 0.1], depth: [3, 6] } }), space, 4);
    assert.deepEqual(study.getTrials().map((t) => `${t.params.eta}/${t.params.depth}`).sort(), ['0.05/3', '0.05/6', '0.1/3', '0.1/6']);
    assert.throws(() => runStudy(createGridSampler({ seed: 1, grid: { eta: [0.5], depth: [3] } }), space, 1), /grid sampler: grid.eta holds 0.5, outside float \[0.01, 0.3\] log/);
    assert.throws(() => runStudy(createGridSampler({ seed: 1 }), space, 1), /parameter eta: a continuous float range has no grid/);
  });

  it('gives an enqueued trial a grid point that agrees with its fixed values', () => {
    const space = parseSearchSpace({ a: [1, 2], b: ['x', 'y'] });
    const study = createStudy({ name: 'grid', space, sampler: createGridSampler({ seed: 1 }), pruner: createNopPruner() });
    study.enqueue({ b: 'y' });
    study.enqueue({ b: 'y' });
    study.enqueue({ a: 1, b: 'x' });
    const trials = [study.ask(), study.ask(), study.ask(), study.ask()];
    assert.deepEqual(trials.map((t) => t.params.b), ['y', 'y', 'x', 'x']);
    assert.deepEqual(trials.map((t) => `${t.params.a}${t.params.b}`).sort(), ['1x', '1y', '2x', '2y']);
    assert.ok(study.isExhausted());
  });

  it('cannot fill in a trial enqueued off the grid', () => {
    const study = createStudy({ name: 'grid', space: gridSpace, sampler: createGridSampler({ seed: 1, grid: { booster: ['gbtree'], depth: [2] } }), pruner: createNopPruner() });
    study.enqueue({ booster: 'dart' });
    assert.throws(() => study.ask(), /grid sampler: trial 0 was enqueued with values that match no grid point, and without depth/);
  });
});

describe('sampler specs', () => {
  it('rebuild each sampler and reject unknown types', () => {
    for (const sampler of [createRandomSampler({ seed: 1 }), createGridSampler({ seed: 2, grid: { a: [1] } }), createTpeSampler({ seed: 3, multivariate: true })]) {
      assert.deepEqual(createSampler(sampler.spec).spec, sampler.spec);
    }
    assert.deepEqual(createTpeSampler({ seed: 3 }).spec, {
      type: 'tpe', seed: 3, nStartupTrials: 10, nEiCandidates: 24, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false, constantLiar: false,
    });
    assert.throws(() => createSampler({ type: 'cmaes' }), /sampler type must be random, grid or tpe, got "cmaes"/);
    assert.throws(() => createTpeSampler({ seed: 1, nEiCandidates: 0 }), /TPE sampler: nEiCandidates must be an integer ≥ 1, got 0/);
  });
});
