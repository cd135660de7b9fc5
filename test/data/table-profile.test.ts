import assert from 'node:assert/strict';
import pl from 'nodejs-polars';
import { tableOf } from '../../models/data/tabular';
import { profileTable } from '../../models/data/table-profile';
import type { NumberColumnProfile } from '../../models/validation';

describe('profileTable', () => {
  const table = tableOf(pl.DataFrame([pl.Series('x', Array.from({ length: 10 }, (_, i) => i), pl.Float64)]));

  it('profiles every row of a table up to the limit', () => {
    const profile = profileTable(table, 10);
    assert.equal(profile.rows, 10);
    assert.equal(profile.sampledFrom, undefined);
  });

  it('profiles every k-th row of a larger table, and says so', () => {
    const profile = profileTable(table, 4);
    assert.deepEqual([profile.rows, profile.sampledFrom], [4, 10]);
    const [x] = profile.columns as NumberColumnProfile[];
    assert.deepEqual(x!.quantiles.map((q) => q.value).filter((_, i, all) => i === 0 || i === all.length - 1), [0, 9]);
  });
});
