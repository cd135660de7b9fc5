import assert from 'node:assert/strict';
import {
  categoricalDistribution, createNopPruner, createRandomSampler, createStudy, createTpeSampler, defaultGamma, defaultWeights, floatDistribution, parseSearchSpace,
  type Sampler, type Trial,
} from '../../models/tuning';
import { categoricalKernels, numericKernels, ParzenEstimator } from '../../models/tuning/parzen-estimator';
import { splitTrials } from '../../models/tuning/tpe-sampler';
import { deriveRandom } from '../../models/tuning/rng';

const closeAll = (actual: ArrayLike<number>, expected: number[]) => {
  assert.equal(actual.length, expected.length);
  Array.from(actual).forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-12, `${Array.from(actual)} vs ${expected}`));
};

const trial = (number: number, state: Trial['state'], value: number | null, intermediate: Record<number, number> = {}): Trial =>
  ({ number, state, value, params: {}, intermediateValues: intermediate, systemAttrs: {}, startedAt: null, completedAt: null });

describe('TPE building blocks (after optuna tests/samplers_tests/tpe_tests)', () => {
  it('gamma is the top 10%, at most 25', () => {
    assert.deepEqual([0, 1, 10, 11, 100, 249, 250, 251, 1000].map(defaultGamma), [0, 1, 1, 2, 10, 25, 25, 25, 25]);
  });

  it('weights ramp up from 1/n for trials older than the newest 25', () => {
    assert.deepEqual(defaultWeights(0), []);
    assert.deepEqual(defaultWeights(3), [1, 1, 1]);
    assert.deepEqual(defaultWeights(25), Array(25).fill(1));
    closeAll(defaultWeights(30).slice(0, 6), [1 / 30, 1 / 30 + (29 / 30) / 4, 1 / 30 + (2 * 29 / 30) / 4, 1 / 30 + (3 * 29 / 30) / 4, 1, 1]);
  });

  // optuna tests/samplers_tests/tpe_tests/test_parzen_estimator.py::test_calculate (low −1, high 1, with prior)
  const flags = { priorWeight: 1 };
  const cases: Array<[number[], boolean, boolean, number[], number[]]> = [
    [[], false, true, [0], [2]],
    [[0.4], false, true, [0.4, 0], [0.6, 2]],
    [[-0.4], false, true, [-0.4, 0], [0.6, 2]],
    [[-0.4, 0.4], false, true, [-0.4, 0.4, 0], [0.6, 0.6, 2]],
    [[-0.4, 0.4], false, false, [-0.4, 0.4, 0], [0.4, 0.4, 2]],
    [[-0.4, 0.4, 0.41, 0.42], false, true, [-0.4, 0.4, 0.41, 0.42, 0], [0.6, 0.4, 0.01, 0.58, 2]],
    [[-0.4, 0.4, 0.41, 0.42], true, true, [-0.4, 0.4, 0.41, 0.42, 0], [0.6, 0.4, 2 / 6, 0.58, 2]],
  ];
  for (const [observations, magicClip, endpoints, mus, sigmas] of cases) {
    it(`sets kernel widths for ${JSON.stringify(observations)} (magic clip ${magicClip}, endpoints ${endpoints})`, () => {
      const kernels = numericKernels(observations, floatDistribution({ low: -1, high: 1 }), { ...flags, considerMagicClip: magicClip, considerEndpoints: endpoints });
      closeAll(kernels.mus, mus);
      closeAll(kernels.sigmas, sigmas);
    });
  }

  it('builds categorical kernels with the prior spread over every choice', () => {
    const kernels = categoricalKernels([0, 2], categoricalDistribution(['a', 'b', 'c']), { priorWeight: 1, considerMagicClip: true, considerEndpoints: false });
    kernels.weights.flat().forEach((w, i) => assert.ok(Math.abs(w - [2 / 3, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 2 / 3, 1 / 3, 1 / 3, 1 / 3][i]!) < 1e-12));
  });

  it('has a mixture density that sums to 1 over a discrete range', () => {
    const space = { n: floatDistribution({ low: 0, high: 1, step: 0.1 }) };
    const estimator = new ParzenEstimator({ n: [0.2, 0.3, 0.9] }, space, { priorWeight: 1, considerMagicClip: true, considerEndpoints: false });
    const grid = Array.from({ length: 11 }, (_, k) => k / 10);
    const total = estimator.logPdf({ n: grid }).reduce((sum, l) => sum + Math.exp(l), 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `total ${total}`);
    const samples = estimator.sample(deriveRandom(1), 200).n!;
    assert.ok(samples.every((v) => grid.some((g) => Math.abs(g - v) < 1e-9)), 'samples lie on the grid');
  });

  it('splits complete trials by value, then pruned ones by progress, running ones always above', () => {
    const trials = [
      trial(0, 'COMPLETE', 3), trial(1, 'PRUNED', 9, { 5: 9 }), trial(2, 'COMPLETE', 1), trial(3, 'RUNNING', null),
      trial(4, 'PRUNED', 2, { 2: 2 }), trial(5, 'COMPLETE', 2), trial(6, 'PRUNED', null, { 5: NaN }),
    ];
    const numbers = (split: { below: Trial[]; above: Trial[] }) => [split.below.map((t) => t.number), split.above.map((t) => t.number)];
    assert.deepEqual(numbers(splitTrials(trials, 2, false)), [[2, 5], [0, 1, 3, 4, 6]]);
    assert.deepEqual(numbers(splitTrials(trials, 2, true)), [[0, 5], [1, 2, 3, 4, 6]]);
    assert.deepEqual(numbers(splitTrials(trials, 4, false)), [[0, 1, 2, 5], [3, 4, 6]], 'the pruned trial that got furthest goes below');
    assert.deepEqual(numbers(splitTrials(trials, 9, false)), [[0, 1, 2, 4, 5, 6], [3]]);
  });
});

describe('TPE sampler', () => {
  const space = parseSearchSpace({ x: { type: 'float', low: -5, high: 5 }, y: { type: 'float', low: -5, high: 5 } });
  const sphere = (p: Record<string, unknown>) => (p.x as number) ** 2 + (p.y as number) ** 2;

  const optimise = (sampler: Sampler, n: number, direction: 'minimize' | 'maximize' = 'minimize', sign = 1) => {
    const study = createStudy({ name: 'tpe', space, sampler, direction, pruner: createNopPruner() });
    for (let i = 0; i < n; i++) {
      const t = study.ask();
      study.tell(t.number, { value: sign * sphere(t.params) });
    }
    return study;
  };

  it('samples at random for the first nStartupTrials trials', () => {
    const a = optimise(createTpeSampler({ seed: 3 }), 10).getTrials().map((t) => t.params);
    const b = optimise(createTpeSampler({ seed: 3, nStartupTrials: 50 }), 10).getTrials().map((t) => t.params);
    assert.deepEqual(a, b);
    const c = optimise(createTpeSampler({ seed: 3 }), 11).getTrials().map((t) => t.params);
    const d = optimise(createTpeSampler({ seed: 3, nStartupTrials: 50 }), 11).getTrials().map((t) => t.params);
    assert.notDeepEqual(c[10], d[10]);
  });

  it('treats maximising −f exactly as minimising f', () => {
    const minimised = optimise(createTpeSampler({ seed: 5 }), 40).getTrials().map((t) => t.params);
    const maximised = optimise(createTpeSampler({ seed: 5 }), 40, 'maximize', -1).getTrials().map((t) => t.params);
    assert.deepEqual(maximised, minimised);
  });

  for (const multivariate of [false, true]) {
    it(`beats random search on a sphere (${multivariate ? 'multivariate' : 'univariate'}, 10 seeds × 60 trials)`, () => {
      let wins = 0;
      for (let seed = 0; seed < 10; seed++) {
        const tpe = optimise(createTpeSampler({ seed, multivariate }), 60).bestTrial()!.value!;
        const random = optimise(createRandomSampler({ seed }), 60).bestTrial()!.value!;
        if (tpe < random) wins++;
      }
      assert.ok(wins >= 8, `TPE won ${wins} of 10`);
    });
  }

  it('samples the shared parameters jointly and conditional ones independently (multivariate)', () => {
    const conditional = parseSearchSpace({ a: ['x', 'y'], b: { type: 'float', low: 0, high: 1, when: { a: 'x' } }, c: { type: 'int', low: 0, high: 9 } });
    const sampler = createTpeSampler({ seed: 1, multivariate: true, nStartupTrials: 3 });
    const study = createStudy({ name: 'mv', space: conditional, sampler, pruner: createNopPruner() });
    for (let i = 0; i < 8; i++) {
      const t = study.ask();
      study.tell(t.number, { value: i });
    }
    const relative = sampler.inferRelativeSearchSpace(study, study.getTrials()[0]!);
    const hasB = study.getTrials().every((t) => 'b' in t.params);
    assert.deepEqual(Object.keys(relative), hasB ? ['a', 'b', 'c'] : ['a', 'c']);
  });

  it('with constant liar, counts running trials against the region they occupy', () => {
    const run = (constantLiar: boolean) => {
      const study = optimise(createTpeSampler({ seed: 9, constantLiar }), 20);
      return [study.ask(), study.ask(), study.ask()].map((t) => t.params);
    };
    const [withLiar, without] = [run(true), run(false)];
    assert.deepEqual(withLiar[0], without[0], 'nothing is running yet for the first ask');
    assert.notDeepEqual(withLiar.slice(1), without.slice(1));
  });

  it('asks in a few milliseconds after 1,000 trials', function () {
    this.timeout(60_000);
    const study = optimise(createTpeSampler({ seed: 1 }), 1000);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const t = study.ask();
      times.push(performance.now() - start);
      study.tell(t.number, { value: sphere(t.params) });
    }
    times.sort((a, b) => a - b);
    assert.ok(times[2]! < 50, `median ask ${times[2]!.toFixed(1)} ms`);
  });
});
