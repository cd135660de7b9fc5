import assert from 'node:assert/strict';
import { fieldIssues, recordSchema } from '../../api/record-schema';

describe('API record schema for date and text inputs', () => {
  const schema = recordSchema([
    { name: 'goal', kind: 'numeric' },
    { name: 'country', kind: 'categorical' },
    { name: 'launched', kind: 'date' },
    { name: 'name', kind: 'text' },
  ]);
  const issues = (record: Record<string, unknown>) => {
    const parsed = schema.safeParse(record);
    return parsed.success ? [] : fieldIssues(parsed.error, record);
  };

  it('accepts ISO dates, SQL-style date-times and null; text as a string or null', () => {
    for (const launched of ['2015-08-11', '2015-08-11 12:12:28', '2015-08-11T12:12:28Z', '2015-08-11T14:12:28+02:00', null]) {
      assert.deepEqual(issues({ goal: 1, country: 'US', launched, name: 'A film' }), [], String(launched));
    }
    assert.deepEqual(issues({ goal: '1', country: 'US', launched: '2015-08-11', name: null }), []);
  });

  it('answers each bad or missing field by name', () => {
    assert.deepEqual(issues({ goal: 'lots', country: 'US', launched: '11/08/2015', name: 42 }), [
      { field: 'goal', message: 'expected a number, a numeric string, or null for a missing value' },
      { field: 'launched', message: 'expected a date (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601 such as 2018-03-01T12:00:00Z), or null for a missing value' },
      { field: 'name', message: 'expected a string, or null for a missing value' },
    ]);
    assert.deepEqual(issues({ goal: 1, country: 'US', launched: '2015-02-30' }), [
      { field: 'launched', message: 'expected a date (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601 such as 2018-03-01T12:00:00Z), or null for a missing value' },
      { field: 'name', message: 'required' },
    ]);
  });
});
