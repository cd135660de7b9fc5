import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { parseIsoDate, parseValidationRules, validationRulesSchema } from '../../models/validation';

describe('validation rules', () => {
  it('accepts {} and fills every default', () => {
    assert.deepEqual(validationRulesSchema.parse({}), {
      columns: {},
      maxMissingShare: 0.5,
      duplicateRows: 'warning',
      constantColumns: 'warning',
      minClassCount: 10,
      leakageAuc: 0.98,
      leakageWarnAuc: 0.9,
      leakageRatios: true,
      dates: {},
      ignore: [],
    });
    assert.deepEqual(parseValidationRules(undefined), validationRulesSchema.parse({}));
  });

  it('keeps declared column rules and defaults their severity to error', () => {
    const rules = parseValidationRules({
      columns: { tenure: { type: 'number', min: 0, max: 72, nullable: false }, when: { type: 'date', min: '2000-01-01' }, id: { unique: true, pattern: '^[0-9]{4}-[A-Z]{5}$' } },
      dates: { launched: { min: '2000-01-01', severity: 'warning' } },
    });
    assert.deepEqual(rules.columns.tenure, { type: 'number', min: 0, max: 72, nullable: false, severity: 'error' });
    assert.equal(rules.dates.launched!.severity, 'warning');
  });

  it('names the path of every bad field', () => {
    assert.throws(
      () =>
        parseValidationRules(
          {
            columns: { a: { type: 'number', min: 'low' }, b: { pattern: '([' }, c: { min: 5, max: 1 }, d: { type: 'date', max: '2020-13-01' }, e: { kind: 'x' } },
            dates: { f: { min: '01/02/2020' }, g: { min: '2020-01-02', max: '2020-01-01' } },
            duplicateRows: 'fatal',
            maxMissingShare: 2,
          },
          'telco.yaml validation',
        ),
      (error: Error) => {
        assert.ok(error instanceof InputError);
        for (const path of ['columns.a.min', 'columns.b.pattern', 'columns.c.max', 'columns.d.max', 'columns.e', 'dates.f.min', 'dates.g.max', 'duplicateRows', 'maxMissingShare']) {
          assert.match(error.message, new RegExp(`\\n  ${path.replace(/\./g, '\\.')}: `), path);
        }
        assert.match(error.message, /^telco\.yaml validation are invalid/);
        return true;
      },
    );
  });

  it('refuses a warning threshold above the error threshold', () => {
    assert.throws(() => parseValidationRules({ leakageAuc: 0.95, leakageWarnAuc: 0.97 }), /leakageWarnAuc: leakageWarnAuc 0\.97 is above leakageAuc 0\.95/);
  });

  it('refuses a column declared as a number and listed under dates', () => {
    assert.throws(() => parseValidationRules({ columns: { x: { type: 'number' } }, dates: { x: {} } }), /dates\.x: x is declared type number/);
  });
});

describe('parseIsoDate', () => {
  it('reads dates and naive date-times as UTC', () => {
    assert.equal(parseIsoDate('1970-01-01 01:00:00'), 3_600_000);
    assert.equal(parseIsoDate('2018-03-03'), Date.UTC(2018, 2, 3));
    assert.equal(parseIsoDate(' 2018-03-03T12:30 '), Date.UTC(2018, 2, 3, 12, 30));
  });

  it('refuses other formats and impossible dates', () => {
    for (const text of ['2021-02-30', '2021-13-01', '2021-01-01 24:00:00', '03/03/2018', '2018-3-3', '', 'x']) assert.equal(parseIsoDate(text), undefined, text);
    assert.equal(parseIsoDate('2020-02-29'), Date.UTC(2020, 1, 29));
  });
});
