import assert from 'node:assert/strict';
import { parseDate } from '../../models/features/dates';

describe('parseDate', () => {
  it('reads ISO dates and date-times, and SQL/CSV "YYYY-MM-DD HH:MM:SS", zoneless as UTC', () => {
    assert.equal(parseDate('2015-08-11'), Date.UTC(2015, 7, 11));
    assert.equal(parseDate('2015-08-11 12:12:28'), Date.UTC(2015, 7, 11, 12, 12, 28));
    assert.equal(parseDate(' 2015-08-11T12:12 '), Date.UTC(2015, 7, 11, 12, 12));
    assert.equal(parseDate('2015-08-11T12:12:28.250Z'), Date.UTC(2015, 7, 11, 12, 12, 28, 250));
    assert.equal(parseDate('2015-08-11T14:12:28+02:00'), Date.UTC(2015, 7, 11, 12, 12, 28));
    assert.equal(parseDate('2015-08-11T10:12:28-0200'), Date.UTC(2015, 7, 11, 12, 12, 28));
    assert.equal(parseDate('1970-01-01 01:00:00'), 3_600_000);
  });

  it('gives NaN for missing values and undefined for anything that is not a possible date', () => {
    for (const missing of [null, undefined, '', '   ']) assert.ok(Number.isNaN(parseDate(missing)));
    for (const bad of ['2021-02-30', '2021-13-01', '2021-01-01 25:00', '2021-01-01T10:00+25:00', '01/02/2021', 'soon', 20210101, true]) {
      assert.equal(parseDate(bad), undefined, String(bad));
    }
  });
});
