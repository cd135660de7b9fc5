import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import {
  categoricalDistribution, contains, discreteValues, distributionFromJSON, floatDistribution, intDistribution, isSingle, toExternal, toInternal,
  type Distribution,
} from '../../models/tuning';

const roundTrip = (d: Distribution) => distributionFromJSON(JSON.parse(JSON.stringify(d)), 'x');

describe('tuning distributions', () => {
  const examples: Distribution[] = [
    floatDistribution({ low: 0, high: 1 }),
    floatDistribution({ low: 1e-4, high: 1, log: true }),
    floatDistribution({ low: 0, high: 1, step: 0.1 }),
    intDistribution({ low: 2, high: 10 }),
    intDistribution({ low: 1, high: 1024, log: true }),
    intDistribution({ low: 0, high: 100, step: 5 }),
    categoricalDistribution(['gbtree', 'dart', 3, true, null]),
  ];

  it('round-trip through JSON to equal, frozen values', () => {
    for (const d of examples) {
      assert.deepEqual(roundTrip(d), d);
      assert.ok(Object.isFrozen(d));
      assert.throws(() => ((d as { type: string }).type = 'int'), TypeError);
    }
  });

  it('shrink high to the last point of a step grid, as Optuna does', () => {
    assert.equal(floatDistribution({ low: 0, high: 1.05, step: 0.1 }).high, 1);
    assert.equal(floatDistribution({ low: 0.1, high: 0.7, step: 0.3 }).high, 0.7);
    assert.equal(intDistribution({ low: 0, high: 11, step: 5 }).high, 10);
    assert.deepEqual(discreteValues(floatDistribution({ low: 0, high: 0.3, step: 0.1 })), [0, 0.1, 0.2, 0.3]);
  });

  const rejects: Array<[string, () => unknown, RegExp]> = [
    ['low above high', () => floatDistribution({ low: 2, high: 1 }, 'eta'), /parameter eta: low \(2\) must be ≤ high \(1\)/],
    ['log with low 0', () => floatDistribution({ low: 0, high: 1, log: true }, 'eta'), /parameter eta: low \(0\) must be > 0 when log is true/],
    ['log and step', () => floatDistribution({ low: 1, high: 2, log: true, step: 0.1 }, 'eta'), /step and log cannot be used together/],
    ['negative step', () => floatDistribution({ low: 0, high: 1, step: -1 }, 'eta'), /step \(-1\) must be > 0/],
    ['NaN bound', () => floatDistribution({ low: NaN, high: 1 }, 'eta'), /low must be a finite number/],
    ['fractional int', () => intDistribution({ low: 0.5, high: 3 }, 'depth'), /parameter depth: low \(0.5\) and high \(3\) must be integers/],
    ['int log low 0', () => intDistribution({ low: 0, high: 3, log: true }, 'depth'), /must be ≥ 1 when log is true/],
    ['int log with step', () => intDistribution({ low: 1, high: 9, log: true, step: 2 }, 'depth'), /step \(2\) must be 1 when log is true/],
    ['no choices', () => categoricalDistribution([], 'booster'), /parameter booster: choices must be a non-empty list/],
    ['duplicate choices', () => categoricalDistribution(['a', 'a'], 'booster'), /choice "a" appears twice/],
    ['object choice', () => categoricalDistribution([{} as never], 'booster'), /choice 0 must be a string, finite number, boolean or null/],
    ['unknown type', () => distributionFromJSON({ type: 'uniform' }, 'x'), /type must be float, int or categorical/],
  ];
  for (const [label, make, message] of rejects) {
    it(`rejects ${label} with an InputError naming the parameter`, () => assert.throws(make, (e: unknown) => e instanceof InputError && message.test(e.message)));
  }

  it('know which values they contain', () => {
    const stepped = floatDistribution({ low: 0, high: 1, step: 0.25 });
    assert.ok(contains(stepped, 0.75) && !contains(stepped, 0.7) && !contains(stepped, 1.25));
    const ints = intDistribution({ low: 0, high: 10, step: 2 });
    assert.ok(contains(ints, 4) && !contains(ints, 5) && !contains(ints, 4.0000001) && !contains(ints, '4'));
    assert.ok(contains(categoricalDistribution([null, false]), null) && !contains(categoricalDistribution([null, false]), 0));
    assert.ok(!contains(floatDistribution({ low: 0, high: 1 }), NaN));
  });

  it('map to and from the internal representation', () => {
    const c = categoricalDistribution(['a', 'b', 'c']);
    assert.equal(toInternal(c, 'c'), 2);
    assert.equal(toExternal(c, 1), 'b');
    assert.throws(() => toInternal(c, 'z'), InputError);
    assert.equal(toExternal(intDistribution({ low: 0, high: 10, step: 2 }), 4.9), 4);
    assert.equal(toExternal(intDistribution({ low: 0, high: 10 }), 12), 10);
    assert.equal(toExternal(floatDistribution({ low: 0, high: 1, step: 0.1 }), 0.3000001), 0.3);
    assert.equal(toExternal(floatDistribution({ low: 0, high: 1 }), -0.5), 0);
  });

  it('tell single-valued distributions apart', () => {
    assert.ok(isSingle(floatDistribution({ low: 1, high: 1 })));
    assert.ok(isSingle(intDistribution({ low: 0, high: 4, step: 5 })));
    assert.ok(isSingle(categoricalDistribution(['only'])));
    assert.ok(!isSingle(intDistribution({ low: 0, high: 1 })));
  });

  it('refuse a grid over a continuous range', () => {
    assert.throws(() => discreteValues(floatDistribution({ low: 0, high: 1 }), 'eta'), /parameter eta: a continuous float range has no grid/);
  });
});
