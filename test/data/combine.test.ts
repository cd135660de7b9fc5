import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors';
import { readSources } from '../../models/data/read-sources';
import { namedSources, type ListedSourceConfig } from '../../models/data/source-config';
import { toRecords } from '../../models/data/tabular';
import { csv, customersCsv, ingestFixture, listed, type IngestFixture } from './fixture';

describe('several sources: union and join', () => {
  let f: IngestFixture;
  before(async () => {
    f = await ingestFixture();
  });
  after(() => f.close());

  const read = (sources: ListedSourceConfig[]) => readSources(namedSources({ sources }));
  const rejects = (sources: ListedSourceConfig[], message: string | RegExp) =>
    assert.rejects(read(sources), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    });

  it('appends the rows of sources in order, whatever their format and column order', async () => {
    const first = f.write('jan.csv', 'id,amount,plan\n1,10,basic\n2,,pro\n');
    const second = f.write('feb.jsonl', '{"plan":"plus","id":3,"amount":7.5}\n');
    const { table, sources } = await read([csv(first), { type: 'jsonl', path: second }]);
    assert.deepEqual(toRecords(table.frame), [
      { id: 1, amount: 10, plan: 'basic' },
      { id: 2, amount: null, plan: 'pro' },
      { id: 3, amount: 7.5, plan: 'plus' },
    ]);
    assert.deepEqual(sources, [
      { type: 'csv', path: first, rows: 2 },
      { type: 'jsonl', path: second, rows: 1 },
    ]);
  });

  it('lets a column without any value take the type of the other sources', async () => {
    const { table } = await read([csv(f.write('n1.csv', 'id,score\n1,0.5\n')), csv(f.write('n2.csv', 'id,score\n2,\n'))]);
    assert.deepEqual(table.schema, [
      { name: 'id', type: 'number', missing: 0 },
      { name: 'score', type: 'number', missing: 1 },
    ]);
  });

  it('names the columns a union lacks or adds, and a column whose type differs', async () => {
    const a = f.write('a.csv', 'id,plan\n1,basic\n');
    const b = f.write('b.csv', 'id,tier,extra\n2,pro,x\n');
    await rejects([csv(a), csv(b)], `sources[1] (${b}) does not have the columns of sources[0] (${a}): it lacks "plan" and has "tier", "extra" in addition`);
    const c = f.write('c.csv', 'id,plan\nthree,pro\n');
    await rejects([csv(a), csv(a), csv(c)], `column "id" holds numbers in the sources before it (sources[0] to sources[1]) but text in sources[2] (${c})`);
  });

  it('joins on keys, inner or left, keeping the first source\'s row order', async () => {
    const customers = f.write('customers.csv', customersCsv);
    const tickets = f.write('tickets.csv', 'id,tickets\n5,3\n1,1\n9,7\n');
    const inner = await read([csv(customers), listed(csv(tickets), { on: ['id'], how: 'inner' })]);
    assert.deepEqual(toRecords(inner.table.frame).map((r) => [r.id, r.plan, r.tickets]), [[1, 'basic', 1], [5, 'pro', 3]]);
    const left = await read([csv(customers), listed(csv(tickets), { on: ['id'], how: 'left' })]);
    assert.deepEqual(toRecords(left.table.frame).map((r) => [r.id, r.tickets]), [[1, 1], [2, null], [3, null], [4, null], [5, 3], [6, null]]);
    assert.deepEqual(left.sources[1], { type: 'csv', path: tickets, join: { on: ['id'], how: 'left' }, rows: 3 });
    const otherKey = f.write('by-customer.jsonl', '{"customer":5,"tickets":3}\n');
    await rejects([csv(customers), listed({ type: 'jsonl', path: otherKey }, { on: ['id'], how: 'left' })], `sources[1].join.on: "id" is not a column of sources[1] (${otherKey})`);
  });

  it('refuses joins that would multiply rows, mix key types, share other columns or keep nothing', async () => {
    const customers = f.write('customers.csv', customersCsv);
    const duplicated = f.write('dup.csv', 'id,region\n1,north\n2,south\n1,east\n');
    await rejects([csv(customers), listed(csv(duplicated), { on: ['id'], how: 'left' })], `sources[1]: sources[1] (${duplicated}) has 2 rows with the key id=1 (rows 1, 3); a joined source needs one row per key`);
    const textKeys = f.write('text-keys.csv', 'id,region\na,north\n');
    await rejects([csv(customers), listed(csv(textKeys), { on: ['id'], how: 'left' })], /^sources\[1\]\.join\.on: "id" holds numbers in sources\[0\] .* but text in sources\[1\]/);
    const shared = f.write('shared.csv', 'id,plan\n1,gold\n');
    await rejects([csv(customers), listed(csv(shared), { on: ['id'], how: 'left' })], /^sources\[1\]: sources\[1\] .* and sources\[0\] .* both have "plan"; joined sources may share only their keys \("id"\)$/);
    const strangers = f.write('strangers.csv', 'id,region\n70,north\n');
    await rejects([csv(customers), listed(csv(strangers), { on: ['id'], how: 'inner' })], /^sources\[1\]\.join: no row of sources\[1\] .* matches a row of sources\[0\] .* on "id"$/);
  });

  it('ingests a combination as one dataset version that lists every source', async () => {
    const customers = f.write('customers.csv', customersCsv);
    const more = f.write('more.csv', 'id,plan,amount,signed_up,churned\n7,plus,30,2024-04-02,no\n');
    const regions = f.write('regions.csv', 'id,region\n1,north\n7,south\n');
    const result = await f.activities.ingest({ datasetName: 'combined', sources: [csv(customers), csv(more), listed(csv(regions), { on: ['id'], how: 'left' })] });
    const dataset = await f.resources.registry.getDataset(result.datasetId);
    assert.equal(dataset.rowCount, 7);
    assert.deepEqual((dataset.schema as Array<{ name: string }>).map((c) => c.name), ['id', 'plan', 'amount', 'signed_up', 'churned', 'region']);
    assert.deepEqual((dataset.source as { sources: unknown[] }).sources.length, 3);
  });
});
