import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { isActive, paramProblems, parseSearchSpace, searchSpaceToJSON } from '../../models/tuning';

const config = {
  rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
  booster: ['gbtree', 'dart', 'gblinear'],
  eta: { type: 'float', low: 0.01, high: 0.3, log: true },
  max_depth: { type: 'int', low: 2, high: 10 },
  skip_drop: { type: 'float', low: 0, high: 0.5, when: { rate_drop: 0.25, booster: ['dart'] } },
  lambda: { type: 'float', low: 1e-3, high: 10, log: true, when: { booster: ['gbtree', 'gblinear'] } },
};

describe('tuning search space', () => {
  it('parses a config block with shorthand categoricals and conditions', () => {
    const space = parseSearchSpace(config, 'tuning.space');
    assert.deepEqual(space.params.booster!.distribution, { type: 'categorical', choices: ['gbtree', 'dart', 'gblinear'] });
    assert.deepEqual(space.params.rate_drop!.when, { booster: ['dart'] });
    assert.equal(space.params.eta!.when, null);
  });

  it('orders parameters parents first, otherwise by name', () => {
    assert.deepEqual(parseSearchSpace(config).order, ['booster', 'eta', 'lambda', 'max_depth', 'rate_drop', 'skip_drop']);
  });

  it('round-trips through JSON', () => {
    const space = parseSearchSpace(config);
    const again = parseSearchSpace(JSON.parse(JSON.stringify(searchSpaceToJSON(space))));
    assert.deepEqual(again, space);
  });

  it('decides which parameters are active', () => {
    const space = parseSearchSpace(config);
    assert.ok(isActive(space, 'rate_drop', { booster: 'dart' }));
    assert.ok(!isActive(space, 'rate_drop', { booster: 'gbtree' }));
    assert.ok(isActive(space, 'skip_drop', { booster: 'dart', rate_drop: 0.25 }));
    assert.ok(!isActive(space, 'skip_drop', { booster: 'gbtree', rate_drop: 0.25 }), 'a child of an inactive parent is inactive');
    assert.ok(isActive(space, 'lambda', { booster: 'gblinear' }));
  });

  it('lists the problems of a parameter set', () => {
    const space = parseSearchSpace(config);
    assert.deepEqual(paramProblems(space, { booster: 'gbtree', eta: 0.1, max_depth: 3, lambda: 1 }), []);
    assert.deepEqual(paramProblems(space, { booster: 'gbtree', eta: 0.5, max_depth: 3, rate_drop: 0.1, extra: 1 }), [
      'extra: not in the search space',
      'eta: 0.5 is outside float [0.01, 0.3] log',
      'lambda: missing',
      'rate_drop: given although its condition does not hold',
    ]);
  });

  const rejects: Array<[string, unknown, string]> = [
    ['a non-object', 'eta', 'tuning.space: expected an object mapping parameter names to distributions, got "eta"'],
    ['an empty space', {}, 'tuning.space: declares no parameter'],
    ['a missing type', { eta: { low: 0, high: 1 } }, 'tuning.space.eta.type: must be float, int or categorical, got undefined'],
    ['a typo in a field', { eta: { type: 'float', low: 0, hgh: 1 } }, 'tuning.space.eta.hgh: unknown field for a float parameter (allowed: type, low, high, log, step, when)'],
    ['a bad range', { eta: { type: 'float', low: 0, high: 1, log: true } }, 'tuning.space.eta: low (0) must be > 0 when log is true'],
    ['a scalar', { eta: 0.1 }, 'tuning.space.eta: expected an object like { type: float, low: 0, high: 1 } or a list of choices, got 0.1'],
    ['an unknown parent', { eta: { type: 'float', low: 0, high: 1, when: { booster: 'dart' } } }, 'tuning.space.eta.when.booster: no parameter named booster in the search space'],
    ['an impossible parent value', { booster: ['gbtree', 'dart'], eta: { type: 'float', low: 0, high: 1, when: { booster: 'gbtre' } } }, 'tuning.space.eta.when.booster: "gbtre" is not a possible value of booster ("gbtree", "dart")'],
    ['a self condition', { booster: { type: 'categorical', choices: ['a'], when: { booster: 'a' } } }, 'tuning.space.booster.when.booster: a parameter cannot depend on itself'],
    ['an empty condition', { a: ['x'], b: { type: 'int', low: 0, high: 1, when: {} } }, 'tuning.space.b.when: names no parameter'],
    ['a cycle', { a: { type: 'categorical', choices: ['x'], when: { b: 'y' } }, b: { type: 'categorical', choices: ['y'], when: { a: 'x' } } }, 'tuning.space: conditions form a cycle among a, b'],
  ];
  for (const [label, value, message] of rejects) {
    it(`rejects ${label}, naming the path`, () => {
      assert.throws(() => parseSearchSpace(value, 'tuning.space'), (e: unknown) => e instanceof InputError && e.message === message);
    });
  }
});
