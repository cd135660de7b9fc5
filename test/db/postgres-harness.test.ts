import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findPostgresBin, startPostgres } from '../support/postgres';

describe('test harness: startPostgres', function () {
  this.timeout(60_000);
  const tempDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('kiln-pg-'));

  it('starts a server with a fresh database, and stop() removes every trace', async () => {
    const before = tempDirs();
    const pg = await startPostgres();
    const local = !process.env.KILN_TEST_POSTGRES_URL;
    if (local) assert.match(pg.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/kiln_test_\d+_[0-9a-f]{8}$/);
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT current_database() AS db, current_setting($1) AS fsync', ['fsync']);
      assert.equal(rows[0].db, new URL(pg.url).pathname.slice(1));
      if (local) assert.equal(rows[0].fsync, 'off');
    } finally {
      await client.end();
    }
    await pg.stop();
    assert.deepEqual(tempDirs(), before, 'the temp dir is removed');
    const after = new Client({ connectionString: pg.url, connectionTimeoutMillis: 2000 });
    after.on('error', () => {});
    await assert.rejects(after.connect(), 'the database (or server) is gone');
  });

  it('says how to install PostgreSQL when it is missing, instead of skipping', () => {
    assert.throws(() => findPostgresBin(path.join(os.tmpdir(), 'no-such-postgresql'), ''), /apt-get install postgresql/);
  });

  it('finds the installed server programs', () => {
    const bin = findPostgresBin();
    for (const program of ['initdb', 'postgres']) assert.ok(fs.existsSync(path.join(bin, program)), `${program} in ${bin}`);
  });
});
