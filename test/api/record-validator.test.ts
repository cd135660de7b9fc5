import assert from 'node:assert/strict';
import { fieldIssues, recordValidator } from '../../api/record-schema';
import type { InputColumn } from '../../models/features/feature-pipeline';

/** Deterministic uniform numbers in [0, 1) (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const inputs: InputColumn[] = [
  { name: 'tenure', kind: 'numeric' },
  { name: 'charges', kind: 'numeric' },
  { name: 'Contract', kind: 'categorical' },
  { name: 'senior', kind: 'categorical' },
  { name: 'launched', kind: 'date' },
  { name: 'name', kind: 'text' },
  // A name every object inherits: present on {} as a function, never a valid value.
  { name: 'toString', kind: 'categorical' },
];

/** Values each kind accepts, then values some or all kinds refuse. */
const typical: Record<InputColumn['kind'], unknown[]> = {
  numeric: [0, 12, -3.5, 29.85, '12', ' 29.85 ', '1e3', '', ' ', null],
  categorical: ['Month-to-month', 'No phone service', '', 0, 1, true, false, null],
  date: ['2018-03-01', '2018-03-01 12:00:00', '2018-03-01T12:00:00Z', '2015-08-11T14:12:28+02:00', ' 2018-03-01 ', '', null],
  text: ['A film', '', ' ', null],
};
const unusual: unknown[] = [
  -0, 1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -Infinity, 10n,
  'abc', '12abc', '0x10', 'Infinity', 'NaN', '2018-02-30', '2018-13-01', '03/01/2018', '2018-03-01T25:00:00Z',
  true, undefined, {}, [], [1], { value: 1 }, new Date(0), () => 1,
];

function generatedInput(next: () => number): unknown {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const roll = next();
  if (roll < 0.02) return pick([null, undefined, 'record', 42, [], [{ tenure: 1 }]]);
  const record: Record<string, unknown> = roll < 0.04 ? JSON.parse('{"__proto__": {"tenure": 1}}') : {};
  for (const { name, kind } of inputs) {
    const what = next();
    if (name === 'toString' && what < 0.3) continue;
    if (what < 0.75) record[name] = pick(typical[kind]);
    else if (what < 0.95) record[name] = pick(unusual);
    // else: the column is missing.
  }
  if (next() < 0.5) record.customerID = pick(['7590-VHVEG', 3, null, undefined, 10n, NaN]);
  if (next() < 0.3) record.Churn = 'No';
  return record;
}

describe('recordValidator: zod\'s answers, with a fast path for valid records', () => {
  const validator = recordValidator(inputs);

  it('accepts exactly what the zod schema accepts, with the same output and the same per-field issues', () => {
    const next = random(20261124);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const input = generatedInput(next);
      const expected = validator.schema.safeParse(input);
      const actual = validator.validate(input);
      const context = `case ${i}: ${String(JSON.stringify(input, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value)))}`;
      if (expected.success) {
        assert.ok(!('issues' in actual), `${context} is valid for zod, refused with ${JSON.stringify('issues' in actual && actual.issues)}`);
        assert.deepStrictEqual(actual.data, expected.data, context);
        // Same key order too: the prediction log stores the record as JSON.
        assert.deepStrictEqual(Object.keys(actual.data), Object.keys(expected.data), context);
        accepted++;
      } else {
        assert.ok('issues' in actual, `${context} is invalid for zod, accepted`);
        assert.deepStrictEqual(actual.issues, fieldIssues(expected.error, input), context);
      }
    }
    // Both sides of the comparison were exercised.
    assert.ok(accepted > 1000 && accepted < 19_000, `${accepted} accepted`);
  });

  it('answers a valid record without zod, and a bad one with zod\'s per-field issues', () => {
    const fast = recordValidator(inputs.slice(0, 6));
    const record = { tenure: '12', charges: null, Contract: 'One year', senior: 0, launched: '2018-03-01', name: 'A film', customerID: 'x' };
    const zodParse = fast.schema.safeParse;
    fast.schema.safeParse = () => assert.fail('zod was called for a valid record');
    assert.deepStrictEqual(fast.validate(record), { data: record });
    fast.schema.safeParse = zodParse;
    assert.deepStrictEqual(fast.validate({ ...record, tenure: 'twelve', launched: '2018-02-30' }), {
      issues: [
        { field: 'tenure', message: 'expected a number, a numeric string, or null for a missing value' },
        { field: 'launched', message: 'expected a date (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601 such as 2018-03-01T12:00:00Z), or null for a missing value' },
      ],
    });
    const { Contract, ...missing } = record;
    assert.deepStrictEqual(fast.validate(missing), { issues: [{ field: 'Contract', message: 'required' }] });
    assert.deepStrictEqual(fast.validate([record]), { issues: [{ field: '(body)', message: 'Invalid input: expected object, received array' }] });
  });

  it('agrees with zod on a column named __proto__, which zod neither checks nor copies', () => {
    const odd = recordValidator([{ name: '__proto__', kind: 'numeric' }, { name: 'tenure', kind: 'numeric' }]);
    for (const input of [JSON.parse('{"__proto__": "x", "tenure": 1}'), JSON.parse('{"__proto__": 2, "tenure": 1}'), { tenure: 1 }, { tenure: 'x' }]) {
      const expected = odd.schema.safeParse(input);
      const actual = odd.validate(input);
      if (expected.success) assert.deepStrictEqual(actual, { data: expected.data });
      else assert.deepStrictEqual(actual, { issues: fieldIssues(expected.error, input) });
    }
  });
});
