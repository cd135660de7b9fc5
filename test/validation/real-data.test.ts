import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readCsvTable, toRecords, type Table } from '../../models/data/tabular';
import type { RawRecord } from '../../models/features/raw-values';
import { formatReport, parseValidationRules, profileDataset, validateDataset, type NumberColumnProfile, type StringColumnProfile, type ValidationReport, type ValidationRulesInput } from '../../models/validation';
import { projectRoot } from '../../lib/settings';

/** The shipped copy under data/ when there is one, else the shared original. */
function dataset(file: string): string | undefined {
  return [path.join(projectRoot, 'data', file), path.join(projectRoot, '../shared/data', file)].find((candidate) => fs.existsSync(candidate));
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

const problems = (report: ValidationReport) => report.findings.filter((f) => f.severity !== 'info');

describe('validation on the real Telco churn file', () => {
  let table: Table;
  let records: RawRecord[];
  const target = { column: 'Churn', positive: 'Yes' };
  const check = (rules: ValidationRulesInput, extra: Partial<Parameters<typeof validateDataset>[0]> = {}) =>
    validateDataset({ records, schema: table.schema, target, rules: parseValidationRules(rules), ...extra });

  before(function () {
    const file = dataset('telco-customer-churn.csv');
    if (!file) this.skip();
    table = readCsvTable(file);
    records = toRecords(table.frame);
  });

  it('passes, warning only about the 22 rows duplicated apart from customerID', () => {
    const { result: report, ms } = timed(() => check({ ignore: ['customerID'] }, { profile: true }));
    assert.equal(report.ok, true);
    assert.equal(report.rows, 7043);
    const [duplicates, ...rest] = problems(report);
    assert.deepEqual(rest, [], formatReport(report));
    assert.equal(duplicates!.check, 'duplicate-rows');
    assert.equal(duplicates!.rows!.length, 22);
    assert.match(duplicates!.message, /^22 of 7043 rows repeat an earlier row in all 20 compared columns \(ignoring customerID\)/);
    const missing = report.findings.filter((f) => f.check === 'missing-share');
    assert.deepEqual(missing.map((f) => [f.severity, f.column, f.rows!.length]), [['info', 'TotalCharges', 11]]);
    assert.ok(report.profile);
    console.log(`      telco 7043×21 validate + profile: ${ms.toFixed(0)} ms (cold)`);
  });

  it('finds the same duplicates when customerID is an excluded feature rather than ignored', () => {
    assert.equal(problems(check({}, { exclude: ['customerID'] }))[0]!.rows!.length, 22);
  });

  it('flags a copy of the target as leakage, and no real column', () => {
    const withCopy = records.map((record) => ({ ...record, churn_copy: record.Churn }));
    const report = validateDataset({ records: withCopy, schema: [...table.schema, { name: 'churn_copy', type: 'string' }], target, rules: parseValidationRules({ ignore: ['customerID'] }) });
    const leaks = report.findings.filter((f) => f.check === 'leakage' && f.severity !== 'info');
    assert.deepEqual(leaks.map((f) => [f.severity, f.column]), [['error', 'churn_copy']]);
    assert.equal(report.ok, false);
    assert.match(formatReport(report), /^validation failed: 1 error, 1 warning, \d+ info over 7043 rows\n/);
  });

  it('accepts a declared schema that the file meets and catches one it breaks', () => {
    const rules: ValidationRulesInput = {
      ignore: ['customerID'],
      columns: {
        customerID: { unique: true, pattern: '^\\d{4}-[A-Z]{5}$', nullable: false },
        tenure: { type: 'number', min: 0, max: 72, nullable: false },
        MonthlyCharges: { type: 'number', min: 18.25, max: 118.75 },
        TotalCharges: { type: 'number', min: 0, maxMissingShare: 0.01 },
        Contract: { allowed: ['Month-to-month', 'One year', 'Two year'] },
        SeniorCitizen: { allowed: [0, 1] },
      },
    };
    assert.deepEqual(problems(check(rules)).map((f) => f.check), ['duplicate-rows']);
    const broken = check({ ...rules, columns: { ...rules.columns, TotalCharges: { type: 'number', nullable: false }, tenure: { max: 60 } } });
    assert.deepEqual(problems(broken).map((f) => [f.check, f.column, f.rows?.length]), [
      ['schema.nullable', 'TotalCharges', 11],
      ['range', 'tenure', 100],
      ['duplicate-rows', undefined, 22],
    ]);
  });

  it('profiles the file as a monitoring baseline', () => {
    const { result: profile, ms } = timed(() => profileDataset(records, table.schema));
    const column = (name: string) => profile.columns.find((c) => c.name === name)!;
    const tenure = column('tenure') as NumberColumnProfile;
    assert.deepEqual([tenure.quantiles[0]!.value, tenure.quantiles[8]!.value], [0, 72]);
    assert.deepEqual((column('SeniorCitizen') as NumberColumnProfile).histogram, { edges: [0, 1, 1], counts: [5901, 1142] });
    assert.equal(column('TotalCharges').missing, 11);
    const churn = column('Churn') as StringColumnProfile;
    assert.deepEqual(churn.top.map((t) => [t.value, t.count]), [['No', 5174], ['Yes', 1869]]);
    assert.equal(churn.otherShare, 0);
    assert.equal((column('customerID') as StringColumnProfile).distinct, 7043);
  });
});

describe('validation on the real Kickstarter sample', () => {
  let table: Table;
  let records: RawRecord[];
  const target = { column: 'state', positive: 'successful' };
  const afterLaunch = ['pledged', 'backers', 'usd pledged', 'usd_pledged_real'];

  before(function () {
    const file = dataset('kickstarter-2018-sample.csv');
    if (!file) this.skip();
    table = readCsvTable(file);
    records = toRecords(table.frame);
  });

  it('finds the 1970 launch date and the disguised missing countries', () => {
    const rules = parseValidationRules({ ignore: ['ID'], dates: { launched: { min: '2000-01-01' }, deadline: { min: '2000-01-01' } }, columns: { country: { pattern: '^[A-Z]{2}$', severity: 'warning' } } });
    const { result: report, ms } = timed(() => validateDataset({ records, schema: table.schema, target, rules, exclude: afterLaunch, profile: true }));
    const [range] = report.findings.filter((f) => f.check === 'date-range');
    assert.deepEqual([range!.severity, range!.column, range!.rows], ['error', 'launched', [2843]]);
    assert.equal(range!.message, 'launched: 1 date outside 2000-01-01 to …, e.g. "1970-01-01 01:00:00" (row 2843)');
    assert.equal(records[2842]!.ID, 1014746686);
    const [country] = report.findings.filter((f) => f.check === 'pattern');
    assert.equal(country!.rows!.length, 100);
    assert.match(country!.message, /^country: 102 values not matching \/\^\[A-Z\]\{2\}\$\/, e\.g\. "N,0\\""/);
    assert.equal(report.findings.filter((f) => f.check === 'schema.type').length, 0, 'every launched and deadline parses');
    console.log(`      kickstarter 9999×15 validate + profile: ${ms.toFixed(0)} ms`);
  });

  it('flags the after-launch columns as leakage when a config keeps them', () => {
    const decided = { ...target, keep: ['successful', 'failed'] };
    const rules = parseValidationRules({ ignore: ['ID'], dates: { launched: {}, deadline: {} } });
    const { result: report, ms } = timed(() => validateDataset({ records, schema: table.schema, target: decided, rules }));
    const [kept] = report.findings.filter((f) => f.check === 'target.keep');
    assert.match(kept!.message, /^target state: 1231 of 9999 rows dropped by target\.keep \("canceled" \d+/);
    assert.match(report.findings.find((f) => f.check === 'target.classes')!.message, /^target state: \d+ positive .*"failed" \d+, "successful" \d+$/);
    const leaks = report.findings.filter((f) => f.check === 'leakage' && f.severity !== 'info');
    const named = (severity: string) => new Set(leaks.filter((f) => f.severity === severity).flatMap((f) => f.column!.split(' / ')));
    for (const column of ['pledged', 'usd_pledged_real']) assert.ok(named('error').has(column), `${column} in an error`);
    for (const column of afterLaunch) assert.ok(named('error').has(column) || named('warning').has(column), `${column} flagged`);
    assert.equal(report.ok, false);
    console.log(`      kickstarter 8768 decided rows, leakage with ratios: ${ms.toFixed(0)} ms`);

    const honest = validateDataset({ records, schema: table.schema, target: decided, rules, exclude: afterLaunch });
    assert.deepEqual(honest.findings.filter((f) => f.check === 'leakage' && f.severity !== 'info'), [], formatReport(honest));
  });
});
