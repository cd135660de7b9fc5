import assert from 'node:assert/strict';
import { PROFILE_QUANTILES, profileDataset, type NumberColumnProfile, type StringColumnProfile } from '../../models/validation';

describe('profileDataset', () => {
  it('gives quantiles by linear interpolation and an equal-frequency histogram', () => {
    const records = Array.from({ length: 101 }, (_, i) => ({ x: i === 0 ? null : i - 1 }));
    records.push({ x: ' ' as unknown as number });
    const [x] = profileDataset(records, [{ name: 'x', type: 'number' }]).columns as NumberColumnProfile[];
    assert.equal(x!.rows, 102);
    assert.equal(x!.missing, 2);
    assert.equal(x!.missingShare, 2 / 102);
    assert.equal(x!.mean, 49.5);
    assert.deepEqual(x!.quantiles.map((q) => q.p), [...PROFILE_QUANTILES]);
    assert.deepEqual(x!.quantiles.map((q) => q.value), [0, 0.99, 4.95, 24.75, 49.5, 74.25, 94.05, 98.01, 99]);
    assert.deepEqual(x!.histogram.edges, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]);
    assert.deepEqual(x!.histogram.counts, Array(10).fill(10));
  });

  it('keeps tied values in one bin, so a 0/1 column has two bins', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ flag: i < 84 ? 0 : 1 }));
    const [flag] = profileDataset(records, [{ name: 'flag', type: 'number' }]).columns as NumberColumnProfile[];
    assert.deepEqual(flag!.histogram, { edges: [0, 1, 1], counts: [84, 16] });
  });

  it('profiles an all-missing number column as JSON without NaN', () => {
    const profile = profileDataset([{ x: null }, { x: null }], [{ name: 'x', type: 'number' }]);
    assert.deepEqual(profile.columns[0], { name: 'x', type: 'number', rows: 2, missing: 2, missingShare: 1, mean: null, quantiles: [], histogram: { edges: [], counts: [] } });
  });

  it('keeps the 20 most frequent text values and the share of the rest', () => {
    const records = [
      ...Array.from({ length: 30 }, (_, i) => ({ c: `v${String(i).padStart(2, '0')}` })),
      ...Array.from({ length: 10 }, () => ({ c: 'common' })),
      { c: null },
    ];
    const [c] = profileDataset(records, [{ name: 'c', type: 'string' }]).columns as StringColumnProfile[];
    assert.equal(c!.distinct, 31);
    assert.equal(c!.missing, 1);
    assert.equal(c!.top.length, 20);
    assert.deepEqual(c!.top[0], { value: 'common', count: 10, share: 0.25 });
    assert.deepEqual(c!.top[1], { value: 'v00', count: 1, share: 1 / 40 });
    assert.equal(c!.otherShare, 11 / 40);
  });

  it('survives a JSON round trip unchanged', () => {
    const records = [{ a: 1, b: 'x' }, { a: 2.5, b: null }, { a: null, b: 'y' }];
    const profile = profileDataset(records, [{ name: 'a', type: 'number' }, { name: 'b', type: 'string' }]);
    assert.deepEqual(JSON.parse(JSON.stringify(profile)), profile);
  });
});
