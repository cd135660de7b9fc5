import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, createRegistry, databaseEngine, migrateToLatest, parseDatabaseUrl } from '../../db';
import { InputError } from '../../lib/errors';

describe('parseDatabaseUrl', () => {
  it('reads sqlite:<path>, relative to the working directory', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:var/kiln.sqlite', '/srv/kiln'), { engine: 'sqlite', filename: '/srv/kiln/var/kiln.sqlite' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/data/kiln.sqlite', '/srv/kiln'), { engine: 'sqlite', filename: '/data/kiln.sqlite' });
    assert.deepEqual(parseDatabaseUrl('sqlite:kiln.sqlite'), { engine: 'sqlite', filename: path.resolve('kiln.sqlite') });
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { engine: 'sqlite', filename: ':memory:' });
  });

  it('passes postgres:// and postgresql:// URLs through', () => {
    for (const url of ['postgres://kiln:secret@db:5432/kiln', 'postgresql://localhost/kiln?sslmode=require']) {
      assert.deepEqual(parseDatabaseUrl(url), { engine: 'postgres', url });
    }
  });

  it('refuses anything else with an InputError naming DATABASE_URL and the value, password masked', () => {
    for (const url of ['mysql://root:hunter2@localhost/kiln', 'kiln.sqlite', 'sqlite:', 'sqlite://host/kiln.db', '']) {
      assert.throws(
        () => parseDatabaseUrl(url),
        (e: unknown) => {
          assert.ok(e instanceof InputError, String(e));
          assert.match(e.message, /DATABASE_URL/);
          assert.ok(e.message.includes(url.replace('hunter2', '***')), e.message);
          assert.ok(!e.message.includes('hunter2'), 'the password is not repeated');
          return true;
        },
      );
    }
  });
});

describe('connectDatabase on SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-connect-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the parent folder and sets WAL, busy_timeout and foreign keys on the connection', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'kiln.sqlite');
    const db = connectDatabase(`sqlite:${file}`);
    try {
      assert.equal(databaseEngine(db), 'sqlite');
      const pragma = async (name: string) => Object.values((await db.raw(`PRAGMA ${name}`))[0])[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('busy_timeout'), 5000);
      assert.equal(await pragma('foreign_keys'), 1);
      assert.ok(fs.existsSync(file));
    } finally {
      await db.destroy();
    }
  });

  it('keeps a :memory: database for the life of the instance', async () => {
    const db = connectDatabase('sqlite::memory:');
    try {
      await migrateToLatest(db);
      const registry = createRegistry(db);
      await registry.upsertDataset({ name: 'd', contentHash: 'f'.repeat(64), snapshotKey: 'k', rowCount: 0, schema: [], source: null });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await registry.getDataset(`d@${'f'.repeat(12)}`)).rowCount, 0);
    } finally {
      await db.destroy();
    }
  });

  it('a second instance on the same file (another process) sees committed writes', async () => {
    const url = `sqlite:${path.join(dir, 'shared.sqlite')}`;
    const writer = connectDatabase(url);
    const reader = connectDatabase(url);
    try {
      await migrateToLatest(writer);
      await createRegistry(writer).upsertDataset({ name: 'd', contentHash: 'e'.repeat(64), snapshotKey: 'k', rowCount: 3, schema: {}, source: {} });
      assert.equal((await createRegistry(reader).getDataset(`d@${'e'.repeat(12)}`)).rowCount, 3);
    } finally {
      await Promise.all([writer.destroy(), reader.destroy()]);
    }
  });
});
