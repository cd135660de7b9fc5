import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import type { RawRecord } from '../../models/features/raw-values';
import { computeDrift, driftBaseline, driftLevel, populationStabilityIndex, type DriftRow } from '../../models/monitoring';

/** `count` copies of each value, in order. */
const repeat = <T>(pairs: Array<[T, number]>): T[] => pairs.flatMap(([value, count]) => Array<T>(count).fill(value));
const rowsOf = (records: RawRecord[], probability = 0.5): DriftRow[] => records.map((inputs) => ({ inputs, probability }));
const near = (actual: number, expected: number, tolerance = 1e-9) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

describe('computeDrift', () => {
  // x: 0..99 once each (ten equal bins); c: A 50%, B 30%, C 20%; scores 0.00..0.99.
  const training = Array.from({ length: 100 }, (_, i) => ({ x: i, c: i < 50 ? 'A' : i < 80 ? 'B' : 'C' }));
  const scores = training.map((_, i) => i / 100);
  const baseline = driftBaseline(training, [{ name: 'x', type: 'number' }, { name: 'c', type: 'string' }], scores);
  const column = (report: ReturnType<typeof computeDrift>, name: string) => report.columns.find((c) => c.column === name)!;

  it('finds no drift when the window looks like the training data', () => {
    const report = computeDrift(baseline, training.map((inputs, i) => ({ inputs, probability: scores[i]! })));
    assert.equal(report.rows, 100);
    assert.equal(report.level, 'none');
    for (const drift of [...report.columns, report.score]) assert.equal(drift.psi, 0, drift.column);
    assert.deepEqual(column(report, 'x').bins.slice(0, 2), [{ bin: '[0, 10)', expected: 0.1, actual: 0.1 }, { bin: '[10, 20)', expected: 0.1, actual: 0.1 }]);
    assert.deepEqual(column(report, 'x').bins.at(-2), { bin: '[90, 99]', expected: 0.1, actual: 0.1 });
    assert.deepEqual(column(report, 'c').unseen, []);
  });

  it('computes PSI as Σ (actual − expected) · ln(actual / expected)', () => {
    near(populationStabilityIndex([0.5, 0.5], [0.9, 0.1]), 0.4 * Math.log(1.8) - 0.4 * Math.log(0.2));
    near(populationStabilityIndex([0.25, 0.75], [0.25, 0.75]), 0);
    assert.throws(() => populationStabilityIndex([1], [0.5, 0.5]), InputError);
  });

  it('bins numbers on the baseline edges, open at both ends, with a missing bin', () => {
    // Half the window below the training minimum, half above the maximum: first and last bins only.
    const report = computeDrift(baseline, rowsOf([...repeat([[{ x: -5, c: 'A' }, 50], [{ x: 1000, c: 'A' }, 50]])]));
    const x = column(report, 'x');
    assert.deepEqual(x.bins.map((b) => b.actual), [0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0]);
    near(x.psi, 2 * 0.4 * Math.log(5) + 8 * (0.0001 - 0.1) * Math.log(0.0001 / 0.1));
    assert.equal(x.level, 'major');
  });

  it('makes new missingness a major shift: 5% missing where training had none', () => {
    const window = [...Array.from({ length: 95 }, (_, i) => ({ x: i + 0.5, c: 'A' })), ...repeat([[{ x: ' ', c: 'A' }, 3], [{ x: null, c: 'A' }, 2]])];
    const x = column(computeDrift(baseline, rowsOf(window)), 'x');
    assert.equal(x.bins.at(-1)!.bin, '(missing)');
    assert.deepEqual([x.bins.at(-1)!.expected, x.bins.at(-1)!.actual], [0, 0.05]);
    // The last bin holds 0.05 instead of 0.1; the missing bin 0.05 over a floor of 1e-4.
    near(x.psi, -0.05 * Math.log(0.5) + (0.05 - 1e-4) * Math.log(0.05 / 1e-4));
    assert.equal(x.level, 'major');
  });

  it('grades text columns by level, with new values in "(other)" and listed as unseen', () => {
    const shifted = (a: number, b: number, c: number, d: number) =>
      column(computeDrift(baseline, rowsOf(repeat([[{ x: 1, c: 'A' }, a], [{ x: 1, c: 'B' }, b], [{ x: 1, c: 'C' }, c], [{ x: 1, c: 'D' }, d]]))), 'c');
    const same = shifted(50, 30, 20, 0);
    assert.equal(same.level, 'none');
    near(same.psi, 0);
    // A 50 → 60 and C 20 → 10: 0.1 · ln 1.2 + 0.1 · ln 2 ≈ 0.0875.
    const small = shifted(60, 30, 10, 0);
    near(small.psi, 0.1 * Math.log(1.2) + 0.1 * Math.log(2));
    assert.equal(small.level, 'none');
    // A 50 → 70, C 20 → 0: 0.2 · ln 1.4 + 0.1999 · ln(0.2 / 0.0001) is major; A 50 → 65, C 20 → 5 is moderate.
    assert.equal(shifted(65, 30, 5, 0).level, 'moderate');
    const major = shifted(30, 30, 20, 20);
    assert.equal(major.level, 'major');
    assert.deepEqual(major.bins.map((b) => b.bin), ['A', 'B', 'C', '(other)', '(missing)']);
    assert.deepEqual(major.bins.map((b) => b.actual), [0.3, 0.3, 0.2, 0.2, 0]);
    assert.deepEqual(major.unseen, ['D']);
  });

  it('keeps tied values in their bin: a 0/1 column has the bins [0, 1) and [1, 1]', () => {
    const flags = driftBaseline(repeat([[{ flag: 0 }, 84], [{ flag: 1 }, 16]]), [{ name: 'flag', type: 'number' }], [0.5]);
    const flag = computeDrift(flags, rowsOf(repeat([[{ flag: 1 }, 10]]))).columns[0]!;
    assert.deepEqual(flag.bins, [{ bin: '[0, 1)', expected: 0.84, actual: 0 }, { bin: '[1, 1]', expected: 0.16, actual: 1 }, { bin: '(missing)', expected: 0, actual: 0 }]);
  });

  it('measures the shift of the predicted probabilities, with both means', () => {
    const report = computeDrift(baseline, training.map((inputs) => ({ inputs, probability: 0.95 })));
    assert.equal(report.score.column, '(score)');
    assert.equal(report.score.level, 'major');
    assert.equal(report.level, 'major');
    near(report.score.expectedMean!, 0.495);
    near(report.score.actualMean!, 0.95);
    assert.equal(report.columns.every((c) => c.level === 'none'), true);
  });

  it('reports an empty window as no drift, with nothing served', () => {
    const report = computeDrift(baseline, []);
    assert.equal(report.level, 'none');
    assert.equal(report.score.actualMean, null);
    assert.ok(report.columns.every((c) => c.psi === 0 && c.bins.every((b) => b.actual === 0)));
  });

  it('takes thresholds, and rejects ones that are not 0 < moderate < major', () => {
    const window = rowsOf(repeat([[{ x: 1, c: 'A' }, 60], [{ x: 1, c: 'B' }, 30], [{ x: 1, c: 'C' }, 10]]));
    assert.equal(column(computeDrift(baseline, window, { thresholds: { moderate: 0.05 } }), 'c').level, 'moderate');
    assert.equal(driftLevel(0.25, { moderate: 0.1, major: 0.25 }), 'major');
    assert.throws(() => computeDrift(baseline, window, { thresholds: { moderate: 0.3, major: 0.2 } }), /thresholds: expected 0 < moderate < major, got moderate 0.3 and major 0.2/);
    assert.throws(() => computeDrift(baseline, window, { thresholds: { moderate: NaN } }), InputError);
  });

  it('puts any present value of a column that training never filled in one bin that was empty', () => {
    const empty = driftBaseline([{ x: null }, { x: null }], [{ name: 'x', type: 'number' }], [0.1, 0.2]);
    const x = computeDrift(empty, rowsOf([{ x: 3 }, { x: null }])).columns[0]!;
    assert.deepEqual(x.bins.map((b) => [b.expected, b.actual]), [[0, 0.5], [1, 0.5]]);
    assert.equal(x.level, 'major');
  });
});
