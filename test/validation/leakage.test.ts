import assert from 'node:assert/strict';
import { rocAuc } from '../../models/metrics';
import { createRandom } from '../../models/random';
import { binaryAuc } from '../../models/validation';
import { found, syntheticRows, syntheticSchema, validate } from './synthetic';

describe('binaryAuc', () => {
  it('equals rocAuc with ties, skipping NaN scores and unlabelled rows', () => {
    const random = createRandom(3);
    const labels = Int8Array.from({ length: 500 }, () => (random.next() < 0.1 ? -1 : random.next() < 0.35 ? 1 : 0));
    const scores = Float64Array.from({ length: 500 }, () => (random.next() < 0.05 ? NaN : Math.round(random.next() * 20)));
    const kept = [...labels.keys()].filter((i) => labels[i]! >= 0 && !Number.isNaN(scores[i]!));
    const expected = rocAuc(kept.map((i) => labels[i]!), kept.map((i) => scores[i]!));
    const { auc, positives, negatives } = binaryAuc(labels, scores);
    assert.ok(Math.abs(auc - expected) < 1e-12, `${auc} vs ${expected}`);
    assert.equal(positives + negatives, kept.length);
  });

  it('is NaN with one class', () => {
    assert.ok(Number.isNaN(binaryAuc(Int8Array.from([1, 1]), Float64Array.from([0.2, 0.4])).auc));
  });
});

describe('validateDataset: leakage', () => {
  const leakage = (report: ReturnType<typeof validate>) => found(report, 'leakage').map((f) => [f.severity, f.column]);

  it('flags a copy of the target, as text, as 0/1 and inverted', () => {
    const rows = syntheticRows().map((row) => ({ ...row, copy: row.y, flag: row.y === 'yes' ? 1 : 0, inverted: row.y === 'yes' ? 0 : 1 }));
    const schema = [...syntheticSchema, { name: 'copy', type: 'string' as const }, { name: 'flag', type: 'number' as const }, { name: 'inverted', type: 'number' as const }];
    const report = validate(rows, { leakageRatios: false }, schema);
    assert.deepEqual(leakage(report), [['error', 'copy'], ['error', 'flag'], ['error', 'inverted']]);
    assert.equal(report.ok, false);
    const [copy] = found(report, 'leakage');
    assert.equal(copy!.message, 'copy: alone predicts y with ROC-AUC 1.000 (out-of-fold level rates), at or above 0.98; probable leakage (known only after the outcome?)');
  });

  it('leaves honest features, ids and dates alone and notes the strongest feature', () => {
    const report = validate(syntheticRows(), { ignore: [] });
    assert.deepEqual(leakage(report), []);
    const note = report.findings.find((f) => f.check === 'leakage' && f.severity === 'info');
    assert.match(note!.message, /^no leakage found; strongest single feature \S+ has ROC-AUC 0\.\d{3} against y$/);
  });

  it('scores a near-unique text column out of fold, so it does not look perfect', () => {
    // In-sample level rates would give every unique id its own label: ROC-AUC 1.0.
    const rows = syntheticRows(5, 1000).map((row, i) => ({ ...row, name: `project ${i}` }));
    const report = validate(rows, {}, [...syntheticSchema, { name: 'name', type: 'string' }]);
    assert.deepEqual(leakage(report), []);
  });

  it('ignores missing numbers, warns between the thresholds, skips excluded columns', () => {
    const random = createRandom(9);
    const rows = syntheticRows(9, 2000).map((row, i) => {
      const positive = row.y === 'yes';
      return { ...row, partial: i % 3 === 0 ? null : positive ? 1 : 0, strong: (positive ? 0.7 : 0) + random.next() * 1.1 };
    });
    const schema = [...syntheticSchema, { name: 'partial', type: 'number' as const }, { name: 'strong', type: 'number' as const }];
    assert.deepEqual(leakage(validate(rows, { leakageRatios: false }, schema)), [['error', 'partial'], ['warning', 'strong']]);
    assert.deepEqual(leakage(validate(rows, { leakageRatios: false }, schema, ['partial', 'strong'])), []);
  });

  it('scores declared date columns by time', () => {
    const rows = syntheticRows().map((row) => ({ ...row, closed: row.y === 'yes' ? '2019-01-02 10:00:00' : '2018-06-30' }));
    const report = validate(rows, { dates: { closed: {} } }, [...syntheticSchema, { name: 'closed', type: 'string' }]);
    assert.deepEqual(leakage(report), [['error', 'closed']]);
  });

  it('flags a ratio of two numbers that predicts the target when neither does alone', () => {
    const random = createRandom(11);
    const rows = syntheticRows(11, 1000).map((row) => {
      const goal = 100 + random.next() * 10_000;
      const pledged = goal * (row.y === 'yes' ? 1 + random.next() : random.next() * 0.99);
      return { ...row, goal, pledged };
    });
    const schema = [...syntheticSchema, { name: 'goal', type: 'number' as const }, { name: 'pledged', type: 'number' as const }];
    const report = validate(rows, {}, schema);
    const ratios = found(report, 'leakage').filter((f) => f.column!.includes(' / '));
    assert.equal(ratios.length, 1);
    assert.equal(ratios[0]!.severity, 'error');
    assert.match(ratios[0]!.column!, /^(pledged \/ goal|goal \/ pledged)$/);
    assert.match(ratios[0]!.message, /the ratio predicts y with ROC-AUC 1\.000 \(alone 0\.\d{3} and 0\.\d{3}\)/);
    assert.equal(found(validate(rows, { leakageRatios: false }, schema), 'leakage').filter((f) => f.severity === 'error').length, 0);
  });

  it('does not score features when a class is too small to judge', () => {
    const rows = syntheticRows().map((row, i) => ({ ...row, y: i < 3 ? 'yes' : 'no', copy: i < 3 ? 'yes' : 'no' }));
    const report = validate(rows, {}, [...syntheticSchema, { name: 'copy', type: 'string' }]);
    assert.deepEqual(leakage(report), []);
    assert.equal(found(report, 'target.min-class-count').length, 1);
  });
});
