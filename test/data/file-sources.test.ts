import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { InputError } from '../../lib/errors';
import { readSource } from '../../models/data/read-sources';
import { fromParquet, toParquet, toRecords } from '../../models/data/tabular';
import type { DatasetProfile, NumberColumnProfile, StringColumnProfile } from '../../models/validation';
import { csv, customersCsv, customersFrame, customersJsonl, ingestFixture, type IngestFixture } from './fixture';

const customerSchema = [
  { name: 'id', type: 'number', missing: 0 },
  { name: 'plan', type: 'string', missing: 0 },
  { name: 'amount', type: 'number', missing: 1 },
  { name: 'signed_up', type: 'string', missing: 0 },
  { name: 'churned', type: 'string', missing: 0 },
];

describe('file sources: CSV, Parquet, JSON lines', () => {
  let f: IngestFixture;
  beforeEach(async () => {
    f = await ingestFixture();
  });
  afterEach(() => f.close());

  it('reads the same customers from CSV, Parquet and JSON lines into the same dataset version', async () => {
    const fromCsv = await f.activities.ingest({ datasetName: 'customers', source: csv(f.write('c.csv', customersCsv)) });
    const fromParquetFile = await f.activities.ingest({ datasetName: 'customers', source: { type: 'parquet', path: f.write('c.parquet', toParquet(customersFrame())) } });
    const fromJsonl = await f.activities.ingest({ datasetName: 'customers', source: { type: 'jsonl', path: f.write('c.jsonl', customersJsonl()) } });
    assert.equal(fromCsv.created, true);
    assert.deepEqual([fromParquetFile.created, fromJsonl.created], [false, false], 'same content, same version, nothing rewritten');
    assert.equal(fromParquetFile.datasetId, fromCsv.datasetId);
    assert.equal(fromJsonl.datasetId, fromCsv.datasetId);
    const dataset = await f.resources.registry.getDataset(fromCsv.datasetId);
    assert.deepEqual(dataset.schema, customerSchema);
    assert.equal(dataset.rowCount, 6);
    const rows = toRecords(fromParquet(f.resources.artifacts.get(dataset.snapshotKey)));
    assert.deepEqual(rows[2], { id: 3, plan: 'basic', amount: null, signed_up: '2024-02-01', churned: 'no' });
  });

  it('reads CSV with another delimiter and quote character', async () => {
    const path = f.write('q.csv', "name;note\n'Smith; Ann';'said ''hi'''\nBo;plain\n");
    const table = await readSource({ field: 'source', spec: csv(path, { delimiter: ';', quote: "'" }) });
    assert.deepEqual(toRecords(table.frame), [
      { name: 'Smith; Ann', note: "said 'hi'" },
      { name: 'Bo', note: 'plain' },
    ]);
  });

  it('reads a latin1 file when the encoding is declared, and names the line of non-UTF-8 bytes when it is not', async () => {
    const bytes = Buffer.from('city,population\nZürich,421878\nGenève,203856\n', 'latin1');
    const path = f.write('latin1.csv', bytes);
    const table = await readSource({ field: 'sources[2]', spec: csv(path, { encoding: 'latin1' }) });
    assert.deepEqual(toRecords(table.frame), [
      { city: 'Zürich', population: 421878 },
      { city: 'Genève', population: 203856 },
    ]);
    await assert.rejects(readSource({ field: 'sources[2]', spec: csv(path) }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, new RegExp(`^${path}: not valid UTF-8 at byte 17 \\(line 2\\); .*\\(sources\\[2\\]\\.encoding: latin1\\)$`));
      return true;
    });
  });

  it('keeps a UTF-8 byte-order mark out of the first column name', async () => {
    const table = await readSource({ field: 'source', spec: csv(f.write('bom.csv', '\uFEFFa,b\n1,x\n')) });
    assert.deepEqual(table.schema.map((c) => c.name), ['a', 'b']);
  });

  it('types Parquet columns: integers and floats as numbers (NaN missing), booleans as true/false, dates and times as ISO text', async () => {
    const pl = (await import('nodejs-polars')).default;
    const frame = pl.DataFrame([
      pl.Series('n', [1, 2, 3], pl.Int32),
      pl.Series('x', [0.5, Number.NaN, null], pl.Float64),
      pl.Series('flag', [true, false, null], pl.Bool),
      pl.Series('day', [new Date('2024-01-02T00:00:00Z'), null, new Date('2024-12-31T00:00:00Z')]).cast(pl.Date),
      pl.Series('at', [new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05.250Z'), null]),
    ]);
    const table = await readSource({ field: 'source', spec: { type: 'parquet', path: f.write('typed.parquet', toParquet(frame)) } });
    assert.deepEqual(table.schema.map((c) => [c.name, c.type, c.missing]), [
      ['n', 'number', 0],
      ['x', 'number', 2],
      ['flag', 'string', 1],
      ['day', 'string', 1],
      ['at', 'string', 1],
    ]);
    assert.deepEqual(toRecords(table.frame)[0], { n: 1, x: 0.5, flag: 'true', day: '2024-01-02', at: '2024-01-02 03:04:05' });
    assert.equal(toRecords(table.frame)[1]!.at, '2024-01-02 03:04:05.250');
  });

  it('records where the rows came from, the schema and the row count on the version', async () => {
    const path = f.write('c.csv', customersCsv);
    const result = await f.activities.ingest({ datasetName: 'customers', source: csv(path) });
    const dataset = await f.resources.registry.getDataset(result.datasetId);
    assert.deepEqual(dataset.source, { sources: [{ type: 'csv', path, rows: 6 }] });
    assert.deepEqual([dataset.parentId, dataset.watermark], [null, null]);
  });

  it('stores a profile with the version: per-column types, missing shares, quantiles, histograms and category frequencies', async () => {
    const { datasetId } = await f.activities.ingest({ datasetName: 'customers', source: csv(f.write('c.csv', customersCsv)) });
    const dataset = await f.resources.registry.getDataset(datasetId);
    assert.ok(dataset.profileKey);
    const profile = f.resources.artifacts.getJson<DatasetProfile>(dataset.profileKey);
    assert.equal(profile.rows, 6);
    const amount = profile.columns.find((c) => c.name === 'amount') as NumberColumnProfile;
    assert.deepEqual([amount.type, amount.missing, amount.missingShare], ['number', 1, 1 / 6]);
    assert.deepEqual(amount.quantiles.find((q) => q.p === 0.5), { p: 0.5, value: 42.25 });
    assert.equal(amount.histogram.counts.reduce((a, b) => a + b, 0), 5);
    const plan = profile.columns.find((c) => c.name === 'plan') as StringColumnProfile;
    assert.deepEqual(plan.top, [
      { value: 'basic', count: 3, share: 0.5 },
      { value: 'pro', count: 2, share: 2 / 6 },
      { value: 'plus', count: 1, share: 1 / 6 },
    ]);
  });

  describe('bad files get errors naming the file, the line and the column, and fail the activity for good', () => {
    const failsWith = async (input: Parameters<IngestFixture['activities']['ingest']>[0], pattern: RegExp) => {
      await assert.rejects(f.activities.ingest(input), (error: unknown) => {
        assert.ok(error instanceof ApplicationFailure, String(error));
        assert.equal(error.nonRetryable, true);
        assert.equal(error.type, 'InputError');
        assert.match(error.message, pattern);
        return true;
      });
    };

    it('a missing file names the config field and the path', async () => {
      await failsWith({ datasetName: 'd', sources: [{ type: 'jsonl', path: '/nowhere/x.jsonl' }] }, /^sources\[0\]\.path: cannot read \/nowhere\/x\.jsonl: ENOENT$/);
      await failsWith({ datasetName: 'd', source: { type: 'parquet', path: '/nowhere/x.parquet' } }, /^source\.path: cannot read \/nowhere\/x\.parquet: ENOENT$/);
    });

    it('JSON lines: the line of bad JSON, of a line that is not an object, of a nested value, of a type change', async () => {
      const jsonl = (name: string, text: string | Uint8Array) => ({ datasetName: 'd', source: { type: 'jsonl' as const, path: f.write(name, text) } });
      await failsWith(jsonl('a.jsonl', '{"a":1}\n\n{"a":2\n'), /a\.jsonl: line 3 is not valid JSON: /);
      await failsWith(jsonl('b.jsonl', '{"a":1}\n[1,2]\n'), /b\.jsonl: line 2 is an array, not a JSON object$/);
      await failsWith(jsonl('c.jsonl', '{"a":1,"tags":["x"]}\n'), /c\.jsonl: line 1, column "tags" holds an array; only numbers, text, booleans and null can be ingested$/);
      await failsWith(jsonl('d.jsonl', '{"a":1}\n{"a":null}\n{"a":"one"}\n'), /d\.jsonl: line 3, column "a" holds text where line 1 holds a number$/);
      await failsWith(jsonl('e.jsonl', '\n  \n'), /e\.jsonl: the file is empty$/);
      await failsWith(jsonl('f.jsonl', Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.from([0xff]), Buffer.from('\n')])), /f\.jsonl: not valid UTF-8 at byte \d+ \(line 2\); re-save the file as UTF-8$/);
    });

    it('Parquet: a file that is not Parquet, a file without rows, a nested column', async () => {
      const pl = (await import('nodejs-polars')).default;
      const parquet = (name: string, bytes: Uint8Array) => ({ datasetName: 'd', source: { type: 'parquet' as const, path: f.write(name, bytes) } });
      await failsWith(parquet('text.parquet', Buffer.from('id,name\n1,x\n')), /text\.parquet: not a readable Parquet file/);
      await failsWith(parquet('empty.parquet', toParquet(pl.DataFrame([pl.Series('a', [], pl.Float64)]))), /empty\.parquet: the file has no rows$/);
      const nested = pl.DataFrame([pl.Series('id', [1, 2]), pl.Series('tags', [[1, 2], [3]])]);
      await failsWith(parquet('nested.parquet', toParquet(nested)), /nested\.parquet: column "tags" has type List\(.*\); only numbers, text, booleans and dates can be ingested$/);
    });

    it('CSV: ragged rows, unclosed quotes and a wrong delimiter name the line and the field', async () => {
      await failsWith({ datasetName: 'd', source: csv(f.write('r.csv', 'a,b\n1,2\n3\n')) }, /r\.csv: line 3 has 1 fields, the header has 2$/);
      await failsWith({ datasetName: 'd', sources: [csv(f.write('s.csv', 'a;b\n1;2\n'))] }, /s\.csv: the header has one column but contains ";": .*\(sources\[0\]\.delimiter\)$/);
    });
  });
});
