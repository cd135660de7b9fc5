import assert from 'node:assert/strict';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import knex, { type Knex } from 'knex';
import { readSource } from '../../models/data/read-sources';
import type { SourceConfig } from '../../models/data/source-config';
import { fromParquet, toRecords } from '../../models/data/tabular';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { csv, customersCsv, ingestFixture, type IngestFixture } from './fixture';

type SqlSource = Extract<SourceConfig, { type: 'sql' }>;

/** The customers table, as each engine would hold it, with the columns typed the way that engine types them. */
async function createCustomers(db: Knex): Promise<void> {
  await db.schema.createTable('customers', (t) => {
    t.bigInteger('id');
    t.text('plan');
    t.decimal('amount', 8, 2);
    t.date('signed_up');
    t.text('churned');
  });
  const rows = customersCsv.split('\n').slice(1).map((line) => line.split(','));
  await db('customers').insert(rows.map(([id, plan, amount, signedUp, churned]) => ({ id: Number(id), plan, amount: amount === '' ? null : Number(amount), signed_up: signedUp, churned })));
}

interface Engine {
  name: string;
  /** A connection URL the source may use, and a knex instance on the same database to set it up. */
  start(f: IngestFixture): Promise<{ url: string; db: Knex; stop(): Promise<void> }>;
}

const engines: Engine[] = [
  {
    name: 'SQLite',
    async start(f) {
      const file = path.join(f.dir, 'crm.sqlite');
      const db = knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
      return { url: `sqlite:${file}`, db, stop: () => db.destroy() };
    },
  },
  {
    name: 'PostgreSQL',
    async start() {
      const pg: TestPostgres = await startPostgres();
      const db = knex({ client: 'pg', connection: pg.url });
      // Trust authentication ignores the password: it is there to prove messages mask it.
      return { url: pg.url.replace('postgres@', 'postgres:hunter2@'), db, stop: async () => { await db.destroy(); await pg.stop(); } };
    },
  },
];

for (const engine of engines) {
  describe(`SQL sources on ${engine.name}`, function () {
    this.timeout(60_000);
    let f: IngestFixture;
    let database: Awaited<ReturnType<Engine['start']>>;
    before(async () => {
      f = await ingestFixture();
      database = await engine.start(f);
      await createCustomers(database.db);
    });
    after(async () => {
      await database?.stop();
      await f?.close();
    });

    const sql = (query: string, connection: SqlSource['connection'] = database.url): SqlSource => ({ type: 'sql', connection, query });
    const failure = async (source: SqlSource): Promise<Error> => {
      try {
        await f.activities.ingest({ datasetName: 'crm', sources: [source] });
      } catch (error) {
        return error as Error;
      }
      assert.fail('the ingest should have failed');
    };

    it('reads a query into the same dataset version as the same rows in a CSV file', async () => {
      const fromCsv = await f.activities.ingest({ datasetName: 'crm', source: csv(f.write('customers.csv', customersCsv)) });
      const fromSql = await f.activities.ingest({ datasetName: 'crm', source: sql('SELECT id, plan, amount, signed_up, churned FROM customers ORDER BY id') });
      assert.equal(fromSql.datasetId, fromCsv.datasetId);
      assert.equal(fromSql.created, false);
    });

    it('takes the connection from an environment variable, and records the variable, not its value', async () => {
      process.env.KILN_TEST_CRM_URL = database.url;
      try {
        const result = await f.activities.ingest({ datasetName: 'crm-env', source: sql('SELECT id, plan FROM customers ORDER BY id', { env: 'KILN_TEST_CRM_URL' }) });
        const dataset = await f.resources.registry.getDataset(result.datasetId);
        assert.deepEqual(dataset.source, { sources: [{ type: 'sql', connection: { env: 'KILN_TEST_CRM_URL' }, query: 'SELECT id, plan FROM customers ORDER BY id', rows: 6 }] });
      } finally {
        delete process.env.KILN_TEST_CRM_URL;
      }
      const unset = await failure(sql('SELECT 1 AS one', { env: 'KILN_TEST_CRM_URL' }));
      assert.ok(unset instanceof ApplicationFailure && unset.nonRetryable);
      assert.equal(unset.message, 'sources[0].connection: the environment variable KILN_TEST_CRM_URL is not set on this worker');
    });

    it('fails for good on a bad query, no rows, or a statement that writes, naming the source and masking the password', async () => {
      const missing = await failure(sql('SELECT * FROM no_such_table'));
      assert.ok(missing instanceof ApplicationFailure && missing.nonRetryable, String(missing));
      assert.match(missing.message, /^sources\[0\] \(.*\): .*no_such_table/);
      assert.doesNotMatch(missing.message, /hunter2/);

      const none = await failure(sql('SELECT id FROM customers WHERE id < 0'));
      assert.ok(none instanceof ApplicationFailure && none.nonRetryable);
      assert.match(none.message, /: the query returned no rows$/);

      const write = await failure(sql("UPDATE customers SET plan = 'gone' RETURNING id"));
      assert.ok(write instanceof ApplicationFailure && write.nonRetryable, String(write));
      assert.match(write.message, /read-only|readonly/i);
      assert.deepEqual(await database.db('customers').where({ plan: 'gone' }).count({ n: '*' }).first().then((r) => Number(r?.n)), 0);
    });

    it('reads only the rows past the last watermark when the query names :watermark', async () => {
      await database.db.schema.createTable('orders', (t) => {
        t.integer('id');
        t.integer('amount');
        t.timestamp('updated_at', { useTz: true });
      });
      const at = (time: string) => (engine.name === 'SQLite' ? `2024-05-01 ${time}` : new Date(`2024-05-01T${time}Z`));
      await database.db('orders').insert([{ id: 1, amount: 10, updated_at: at('08:00:00') }, { id: 2, amount: 20, updated_at: at('09:30:00') }]);
      // PostgreSQL cannot type a parameter compared with nothing but NULL: the query says which type.
      const first = engine.name === 'SQLite' ? ':watermark IS NULL' : ':watermark::timestamptz IS NULL';
      const input = { datasetName: 'orders', sources: [sql(`SELECT id, amount, updated_at FROM orders WHERE ${first} OR updated_at > :watermark ORDER BY id`)], incremental: { watermark: 'updated_at' } };
      const sourceRows = async (datasetId: string) => ((await f.resources.registry.getDataset(datasetId)).source as { sources: Array<{ rows: number }> }).sources[0]!.rows;

      const v1 = await f.activities.ingest(input);
      assert.equal(v1.rowCount, 2);
      await database.db('orders').insert([{ id: 3, amount: 30, updated_at: at('10:00:00') }, { id: 4, amount: 40, updated_at: at('11:15:00') }]);
      const v2 = await f.activities.ingest(input);
      assert.deepEqual([v2.rowCount, v2.addedRows, v2.parentId, await sourceRows(v2.datasetId)], [4, 2, v1.datasetId, 2], 'the query read the two new rows only');
      const dataset = await f.resources.registry.getDataset(v2.datasetId);
      assert.deepEqual(toRecords(fromParquet(f.resources.artifacts.get(dataset.snapshotKey))).map((r) => r.id), [1, 2, 3, 4]);

      // Nothing new: the query finds no rows, and the version is reused.
      const v3 = await f.activities.ingest(input);
      assert.deepEqual([v3.datasetId, v3.created, v3.addedRows], [v2.datasetId, false, 0]);

      // Two sources appended: one with nothing new adds nothing; a joined one must find rows.
      const part = (condition: string) => sql(`SELECT id, amount, updated_at FROM orders WHERE (${first} OR updated_at > :watermark) AND ${condition} ORDER BY id`);
      const split = { datasetName: 'orders-split', sources: [part('id % 2 = 1'), part('id % 2 = 0')], incremental: { watermark: 'updated_at' } };
      assert.equal((await f.activities.ingest(split)).rowCount, 4);
      await database.db('orders').insert({ id: 6, amount: 60, updated_at: at('12:00:00') });
      const added = await f.activities.ingest(split);
      assert.deepEqual([added.rowCount, added.addedRows], [5, 1]);
      const joined = { ...split, sources: [part('id > 0'), { ...sql(`SELECT id, amount AS paid FROM orders WHERE (${first} OR updated_at > :watermark)`), join: { on: ['id'], how: 'left' as const } }] };
      await assert.rejects(f.activities.ingest(joined), /sources\[1\] \(.*\): the joined source found no rows past the watermark/);

      const unbound = await failure(sql('SELECT id FROM orders WHERE id > :watermark'));
      assert.ok(unbound instanceof ApplicationFailure && unbound.nonRetryable);
      assert.equal(unbound.message, 'sources[0].query: :watermark is the value an incremental load reached; set incremental.watermark to the column it is read from');
    });

    it('refuses binary columns, naming the column and row', async () => {
      const blob = engine.name === 'SQLite' ? "SELECT x'00ff' AS payload" : "SELECT '\\x00ff'::bytea AS payload";
      const error = await failure(sql(blob));
      assert.ok(error instanceof ApplicationFailure && error.nonRetryable);
      assert.match(error.message, /column "payload" row 1 holds binary data; only numbers, text, booleans and dates can be ingested$/);
    });
  });
}

describe('SQL sources: PostgreSQL types and an unreachable server', function () {
  this.timeout(60_000);
  let f: IngestFixture;
  let pg: TestPostgres;
  before(async () => {
    f = await ingestFixture();
    pg = await startPostgres();
  });
  after(async () => {
    await pg?.stop();
    await f?.close();
  });

  it('reads integers, numerics, booleans, dates and times as the other sources would', async () => {
    const query = `SELECT 9007199254740993::bigint AS big, 12.50::numeric AS price, 0.5::real AS share, true AS active,
      DATE '2024-02-29' AS day, TIMESTAMP '2024-02-29 13:14:15.5' AS at, TIMESTAMPTZ '2024-02-29 13:14:15+02' AS at_utc, NULL::text AS nothing`;
    const table = await readSource({ field: 'source', spec: { type: 'sql', connection: pg.url, query } });
    assert.deepEqual(toRecords(table.frame), [
      { big: 9007199254740992, price: 12.5, share: 0.5, active: 'true', day: '2024-02-29', at: '2024-02-29 13:14:15.5', at_utc: '2024-02-29 11:14:15', nothing: null },
    ]);
  });

  it('leaves a refused connection to the retry policy', async () => {
    const closed = new URL(pg.url);
    closed.port = '1';
    try {
      await f.activities.ingest({ datasetName: 'down', source: { type: 'sql', connection: closed.toString(), query: 'SELECT 1 AS one' } });
      assert.fail('the ingest should have failed');
    } catch (error) {
      assert.ok(!(error instanceof ApplicationFailure) && error instanceof Error, String(error));
      assert.match(error.message, /^source \(postgres:\/\/.*:1\/.*\): .*ECONNREFUSED/);
    }
  });
});
