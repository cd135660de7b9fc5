import assert from 'node:assert/strict';
import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';
import { typeColumns } from '../../models/data/column-types';
import { parseNumeric } from '../../models/features/raw-values';

/** Types a one-cell text column (next to a number, so a column is never all blank). */
const typeCell = (text: string) => {
  const table = typeColumns(pl.DataFrame([pl.Series('x', [text, '1'], pl.Utf8)]), 't');
  return { type: table.schema[0]!.type, value: table.frame.getColumn('x').get(0) as number | string | null };
};

describe('typeColumns', () => {
  it('calls a cell a number exactly when the API would, with the same value', () => {
    const cells = [
      '0', '-0', '+5', '42', ' 42 ', '\t7\n', '3.14', '.5', '5.', '1e5', '1E-3', '-2.5e+10', '0.1', '0.30000000000000004',
      '123456789012345678901234567890', '1e308', '4.9e-324', '00012',
      // Not numbers for either: words, infinities, NaN, thousands separators, two numbers.
      'abc', 'NaN', 'nan', 'inf', '-inf', 'Infinity', '1e400', '1,000', '1_000', '1 2', '--1', '1e', 'e5', '$5',
    ];
    for (const cell of cells) {
      const api = parseNumeric(cell);
      const typed = typeCell(cell);
      if (api === undefined) assert.deepEqual(typed, { type: 'string', value: cell }, `${JSON.stringify(cell)} is text for the API`);
      else assert.deepEqual(typed, { type: 'number', value: api }, `${JSON.stringify(cell)} is ${api} for the API`);
    }
  });

  it('reads hexadecimal text as text, where the API would read a number: the column stays categorical, so serving agrees', () => {
    assert.equal(parseNumeric('0x10'), 16);
    assert.deepEqual(typeCell('0x10'), { type: 'string', value: '0x10' });
  });

  it('makes blanks missing, keeps text as written, and leaves an all-blank column as text', () => {
    const table = typeColumns(pl.DataFrame([pl.Series('a', [' x ', '', '  ', null], pl.Utf8), pl.Series('b', ['', ' ', null, ''], pl.Utf8)]), 't');
    assert.deepEqual(table.frame.getColumn('a').toArray(), [' x ', null, null, null]);
    assert.deepEqual(table.schema, [
      { name: 'a', type: 'string', missing: 3 },
      { name: 'b', type: 'string', missing: 4 },
    ]);
  });

  it('refuses infinite numbers, naming the column and row', () => {
    const frame = pl.DataFrame([pl.Series('x', [1, Number.POSITIVE_INFINITY], pl.Float64)]);
    assert.throws(() => typeColumns(frame, 'f.parquet'), (e: unknown) => e instanceof InputError && e.message === 'f.parquet: column "x" row 2 is infinite; infinite numbers cannot be ingested');
  });
});
