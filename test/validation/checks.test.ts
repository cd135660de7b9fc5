import assert from 'node:assert/strict';
import type { RawRecord } from '../../models/features/raw-values';
import { createRandom } from '../../models/random';
import { parseValidationRules, validateDataset, type SchemaColumn } from '../../models/validation';
import { valueKey } from '../../models/validation/columns';
import { found, syntheticRows, syntheticSchema, validate } from './synthetic';

describe('validateDataset: declared schema', () => {
  it('passes clean data with only info notes', () => {
    const report = validate(syntheticRows(), { columns: { amount: { type: 'number', min: 0, nullable: false }, id: { unique: true, pattern: '^c-\\d{4}$' }, plan: { allowed: ['basic', 'plus', 'pro'] } }, dates: { opened: { min: '2010-01-01' } } });
    assert.equal(report.ok, true, JSON.stringify(report.findings, null, 1));
    assert.equal(report.rows, 200);
    assert.deepEqual(report.findings.map((f) => f.severity).filter((s) => s !== 'info'), []);
  });

  it('reports values that are not of the declared type, with their rows', () => {
    const rows = syntheticRows();
    rows[4]!.amount = 'n/a';
    rows[9]!.amount = 'twelve';
    const [finding, ...rest] = found(validate(rows, { columns: { amount: { type: 'number' } } }, [{ name: 'amount', type: 'string' }, ...syntheticSchema.filter((c) => c.name !== 'amount')]), 'schema.type');
    assert.equal(rest.length, 0);
    assert.equal(finding!.severity, 'error');
    assert.equal(finding!.column, 'amount');
    assert.deepEqual(finding!.rows, [5, 10]);
    assert.equal(finding!.message, 'amount: declared number, but 2 of 200 values are not numbers, e.g. "n/a" (rows 5, 10)');
  });

  it('treats blanks as missing, not as a wrong type, and reports them only when not nullable', () => {
    const rows = syntheticRows();
    rows[0]!.amount = ' ';
    rows[1]!.amount = null;
    const report = validate(rows, { columns: { amount: { type: 'number', nullable: false } } });
    assert.deepEqual(found(report, 'schema.type'), []);
    const [nullable] = found(report, 'schema.nullable');
    assert.deepEqual(nullable!.rows, [1, 2]);
    assert.match(nullable!.message, /^amount: declared not nullable, but 2 of 200 values \(1\.00%\) are missing \(rows 1, 2\)$/);
    assert.deepEqual(found(validate(rows, { columns: { amount: { type: 'number' } } }), 'schema.nullable'), []);
  });

  it('reports numbers outside min and max, each side apart', () => {
    const rows = syntheticRows();
    rows[3]!.amount = -5;
    rows[7]!.amount = 1e6;
    rows[8]!.amount = 2e6;
    const findings = found(validate(rows, { columns: { amount: { min: 0, max: 500 } } }), 'range');
    assert.deepEqual(findings.map((f) => [f.rows, f.message.split(',')[0]]), [
      [[4], 'amount: 1 value below min 0'],
      [[8, 9], 'amount: 2 values above max 500'],
    ]);
  });

  it('lists values outside the allowed list with counts, comparing numbers by value', () => {
    const rows = syntheticRows();
    rows[2]!.plan = 'gold';
    rows[5]!.plan = 'gold';
    rows[6]!.plan = 'Basic';
    const [finding] = found(validate(rows, { columns: { plan: { allowed: ['basic', 'plus', 'pro'] } } }), 'allowed-values');
    assert.equal(finding!.message, 'plan: 3 values not in the allowed list: "gold" ×2, "Basic" ×1 (rows 3, 6, 7)');
    const numbers = [{ flag: 1 }, { flag: 0 }, { flag: 2 }].map((row) => ({ ...row, y: 'yes' }));
    const [numeric] = found(validate(numbers, { columns: { flag: { allowed: ['0', 1.0] } } }, [{ name: 'flag', type: 'number' }, { name: 'y', type: 'string' }]), 'allowed-values');
    assert.deepEqual(numeric!.rows, [3]);
  });

  it('checks patterns unanchored unless anchored, and uniqueness with the first occurrence named', () => {
    const rows = syntheticRows();
    rows[10]!.id = 'x-0010';
    rows[20]!.id = rows[3]!.id;
    rows[30]!.id = rows[3]!.id;
    const report = validate(rows, { columns: { id: { pattern: '^c-\\d{4}$', unique: true } } });
    assert.deepEqual(found(report, 'pattern')[0]!.rows, [11]);
    const [unique] = found(report, 'unique');
    assert.deepEqual(unique!.rows, [21, 31]);
    assert.match(unique!.message, /^id: declared unique, but 2 values repeat an earlier row, e.g. "c-0003" first seen in row 4 /);
    assert.deepEqual(found(validate(rows, { columns: { id: { pattern: '\\d{4}' } } }), 'pattern'), []);
  });

  it('names a declared column that the data lacks', () => {
    const [finding] = found(validate(syntheticRows(), { columns: { tenure: { type: 'number' } } }), 'schema.column');
    assert.deepEqual([finding!.severity, finding!.message], ['error', 'tenure: declared in the validation rules but not in the data']);
  });

  it('lets a declared rule be a warning', () => {
    const rows = syntheticRows();
    rows[0]!.amount = -1;
    const report = validate(rows, { columns: { amount: { min: 0, severity: 'warning' } } });
    assert.equal(report.ok, true);
    assert.equal(found(report, 'range')[0]!.severity, 'warning');
  });
});

describe('validateDataset: dates', () => {
  it('reports dates out of range and text that is not an ISO date', () => {
    const rows = syntheticRows();
    rows[12]!.opened = '1970-01-01 01:00:00';
    rows[13]!.opened = '2031-05-05';
    rows[14]!.opened = '05/05/2015';
    const report = validate(rows, { dates: { opened: { min: '2000-01-01', max: '2030-12-31' } } });
    const [range] = found(report, 'date-range');
    assert.equal(range!.message, 'opened: 2 dates outside 2000-01-01 to 2030-12-31, e.g. "1970-01-01 01:00:00" (rows 13, 14)');
    assert.deepEqual(found(report, 'schema.type')[0]!.rows, [15]);
    assert.equal(report.ok, false);
  });

  it('takes the tighter bound when columns and dates both bound a column', () => {
    const rows = syntheticRows();
    rows[0]!.opened = '2009-06-01';
    rows[1]!.opened = '2005-06-01';
    const report = validate(rows, { columns: { opened: { type: 'date', min: '2008-01-01' } }, dates: { opened: { min: '2006-01-01' } } });
    assert.deepEqual(found(report, 'date-range')[0]!.rows, [2]);
  });
});

describe('validateDataset: quality', () => {
  it('flags a column with more missing values than allowed, and notes smaller shares as info', () => {
    const rows = syntheticRows();
    rows.forEach((row, i) => (row.plan = i % 5 === 0 ? row.plan : null));
    rows[0]!.amount = null;
    const report = validate(rows);
    const [plan] = found(report, 'missing-share');
    assert.equal(plan!.column, 'plan');
    assert.match(plan!.message, /^plan: 160 of 200 values missing \(80\.0%\), above the limit of 50\.0% \(rows 2, 3, 4, 5, 7 and 155 more\)$/);
    assert.equal(plan!.rows!.length, 100, 'row lists are capped');
    const amount = report.findings.find((f) => f.check === 'missing-share' && f.column === 'amount');
    assert.equal(amount!.severity, 'info');
    assert.equal(found(validate(rows, { columns: { plan: { maxMissingShare: 0.9 } } }), 'missing-share').length, 0);
  });

  it('finds duplicate rows ignoring identifiers and excluded columns', () => {
    const rows = syntheticRows();
    rows[50] = { ...rows[10]!, id: 'c-9999' };
    rows[60] = { ...rows[10]!, id: 'c-9998', plan: rows[10]!.plan === 'pro' ? 'basic' : 'pro' };
    const [duplicates] = found(validate(rows), 'duplicate-rows');
    assert.deepEqual(duplicates!.rows, [51]);
    assert.equal(duplicates!.severity, 'warning');
    assert.match(duplicates!.message, /^1 of 200 rows repeat an earlier row in all 4 compared columns \(ignoring id\); first: row 51 = row 11/);
    assert.deepEqual(found(validate(rows, {}, syntheticSchema, ['plan']), 'duplicate-rows')[0]!.rows, [51, 61]);
    assert.equal(found(validate(rows, { ignore: [] }), 'duplicate-rows').length, 0);
    assert.equal(found(validate(rows, { duplicateRows: 'ignore' }), 'duplicate-rows').length, 0);
    assert.equal(validate(rows, { duplicateRows: 'error' }).ok, false);
  });

  it('finds the same duplicates as comparing whole rows as text, by type, with missing values alike', () => {
    // 300,000 rows of three wide columns: unequal rows share a 32-bit row hash here (a few pairs), so the
    // check must tell them apart by their values; the mixed column makes type-sensitive duplicates.
    const random = createRandom(11);
    const rows: RawRecord[] = Array.from({ length: 300_000 }, () => ({
      a: random.int(1000),
      b: random.int(1000),
      c: random.int(1000),
      mixed: random.next() < 0.9 ? 0 : ['a', 1, '1', null, ' ', true, 'true'][random.int(7)]!,
    }));
    for (let i = 0; i < 50; i++) rows[1000 + i] = { ...rows[i]! };
    const key = (record: RawRecord) => JSON.stringify([record.a, record.b, record.c, valueKey(record.mixed)]);
    const seen = new Set<string>();
    const expected = rows.flatMap((record, i) => (seen.has(key(record)) ? [i + 1] : (seen.add(key(record)), [])));
    const schema: SchemaColumn[] = [...[...'abc'].map((name) => ({ name, type: 'number' as const })), { name: 'mixed', type: 'string' }];
    const [duplicates] = found(validateDataset({ records: rows, schema, target: { column: 'y', positive: 'yes' }, rules: parseValidationRules({ maxMissingShare: 1 }) }), 'duplicate-rows');
    assert.ok(expected.length >= 50);
    assert.match(duplicates!.message, new RegExp(`^${expected.length} of 300000 rows repeat`));
    assert.deepEqual(duplicates!.rows, expected.slice(0, 100));
  });

  it('flags constant columns but not the target, ignored ones, or all-missing ones', () => {
    const rows = syntheticRows().map((row) => ({ ...row, country: 'US', blank: null, id: 'same' }));
    const schema = [...syntheticSchema, { name: 'country', type: 'string' as const }, { name: 'blank', type: 'number' as const }];
    const findings = found(validate(rows, {}, schema), 'constant-column');
    assert.deepEqual(findings.map((f) => [f.severity, f.message]), [['warning', 'country: all 200 present values are "US"']]);
    assert.equal(found(validate(rows, { constantColumns: 'ignore' }, schema), 'constant-column').length, 0);
  });

  it('warns about ignored or excluded columns that do not exist', () => {
    const findings = found(validate(syntheticRows(), { ignore: ['id', 'customer_id'] }), 'schema.column');
    assert.deepEqual(findings.map((f) => [f.severity, f.column]), [['warning', 'customer_id']]);
  });
});

describe('validateDataset: target', () => {
  it('errors when the target column is absent', () => {
    const report = validate(syntheticRows(), {}, syntheticSchema.filter((c) => c.name !== 'y'));
    assert.deepEqual(found(report, 'target.present').map((f) => f.message), ['target column y is not in the data']);
    assert.equal(report.ok, false);
  });

  it('errors on a single class and on a positive class that never occurs', () => {
    const single = syntheticRows().map((row) => ({ ...row, y: 'no' }));
    assert.match(found(validate(single), 'target.classes')[0]!.message, /needs at least two classes, found 1 \("no" 200\)/);
    const other = syntheticRows().map((row) => ({ ...row, y: row.y === 'yes' ? 'Yes' : 'no' }));
    assert.match(found(validate(other), 'target.classes')[0]!.message, /positive class "yes" never occurs; classes: "no" \d+, "Yes" \d+/);
  });

  it('errors when a class has fewer rows than minClassCount', () => {
    const rows = syntheticRows().map((row, i) => ({ ...row, y: i < 5 ? 'yes' : 'no' }));
    const [finding] = found(validate(rows), 'target.min-class-count');
    assert.equal(finding!.message, 'target y: only 5 positive rows, fewer than minClassCount 10');
    assert.equal(found(validate(rows, { minClassCount: 5 }), 'target.min-class-count').length, 0);
  });

  it('with target.keep, counts only the kept classes and names a kept class that never occurs', () => {
    // Every fifth row is "live": dropped by keep, so it is neither a class nor a negative.
    const rows = syntheticRows().map((row, i) => ({ ...row, y: i % 5 === 0 ? 'live' : row.y }));
    const kept = (keep: string[]) => validateDataset({ records: rows, schema: syntheticSchema, target: { column: 'y', positive: 'yes', keep }, rules: parseValidationRules({ ignore: ['id'] }) });
    const report = kept(['yes', 'no']);
    assert.equal(report.ok, true);
    const notes = (check: string) => report.findings.filter((f) => f.check === check).map((f) => f.message);
    assert.deepEqual(notes('target.keep'), ['target y: 40 of 200 rows dropped by target.keep ("live" 40); the class counts below are of the kept rows']);
    assert.match(notes('target.classes')[0]!, /^target y: \d+ positive \(\d+\.\d%\), \d+ negative; classes: "no" \d+, "yes" \d+$/);
    const typo = kept(['yes', 'No']);
    assert.equal(typo.ok, false);
    assert.match(found(typo, 'target.keep').find((f) => f.severity === 'error')!.message, /^target\.keep: class "No" never occurs in y; classes: /);
  });

  it('warns about rows without a label and reads numeric targets', () => {
    const rows: RawRecord[] = syntheticRows().map((row, i) => ({ ...row, y: i === 3 ? null : row.y === 'yes' ? 1 : 0 }));
    const report = validateDatasetNumeric(rows);
    assert.deepEqual(found(report, 'target.missing')[0]!.rows, [4]);
    assert.equal(report.ok, true);
  });
});


function validateDatasetNumeric(records: RawRecord[]) {
  const schema = syntheticSchema.map((c) => (c.name === 'y' ? { name: 'y', type: 'number' as const } : c));
  return validateDataset({ records, schema, target: { column: 'y', positive: '1.0' }, rules: parseValidationRules({ ignore: ['id'] }) });
}
