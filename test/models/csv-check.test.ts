import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../lib/errors';
import { checkCsvBytes } from '../../models/data/csv-check';

const check = (text: string | Uint8Array, delimiter = ',') => checkCsvBytes(typeof text === 'string' ? Buffer.from(text) : text, 'f.csv', delimiter);
const fails = (text: string | Uint8Array, pattern: RegExp, delimiter = ',') =>
  assert.throws(() => check(text, delimiter), (error: Error) => error instanceof InputError && pattern.test(error.message));

describe('checkCsvBytes', () => {
  it('counts rows and columns, with quoted delimiters, quotes and newlines, CRLF and a missing final newline', () => {
    assert.deepEqual(check('a,b,c\n1,2,3\n4,5,6\n'), { dataRows: 2, columns: 3 });
    assert.deepEqual(check('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2'), { dataRows: 2, columns: 2 });
    assert.deepEqual(check('a;b\n1;2\n', ';'), { dataRows: 1, columns: 2 });
  });

  it('names the line of a ragged row', () => {
    fails('a,b,c\n1,2,3\n4,5\n', /^f\.csv: line 3 has 2 fields, the header has 3$/);
    fails('a,b\n1,2\n\n3,4,5\n', /line 4 has 3 fields/);
  });

  it('refuses empty files, headers without rows, and unclosed quotes', () => {
    fails('', /the file is empty/);
    fails('a,b\n', /a header but no data rows/);
    fails('a,b\n"1,2\n', /quoted field opened on or before line 2 is never closed/);
  });

  it('suggests the delimiter when the header is one column holding another one', () => {
    fails('a;b;c\n1;2;3\n', /is the delimiter ";" rather than ","\? \(source\.delimiter\)/);
  });

  it('names the byte and line of invalid UTF-8', () => {
    fails(Uint8Array.from([...Buffer.from('a,b\n1,2\n'), 0xff, 0x2c, 0x31, 0x0a]), /not valid UTF-8 at byte 8 \(line 3\)/);
  });

  it('accepts the shared datasets as they are', () => {
    const data = path.resolve(__dirname, '../../../shared/data');
    assert.deepEqual(check(fs.readFileSync(path.join(data, 'telco-customer-churn.csv'))), { dataRows: 7043, columns: 21 });
    assert.deepEqual(check(fs.readFileSync(path.join(data, 'kickstarter-2018-sample.csv'))), { dataRows: 9999, columns: 15 });
  });
});
