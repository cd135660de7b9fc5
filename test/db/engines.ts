import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { connectDatabase, createRegistry, migrateToLatest, type Registry } from '../../db';
import { createDatabaseOn, startPostgres } from '../support/postgres';

/** One database engine under test: hands out fresh, empty databases. */
export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** URL (DATABASE_URL form) of a new empty database. */
  freshUrl(): Promise<string>;
  /** Removes every database handed out (and the server or temp dir). */
  close(): Promise<void>;
}

export interface EngineSpec {
  name: TestEngine['name'];
  start(): Promise<TestEngine>;
}

/** SQLite: one file per database in a temp dir removed at close. */
export const sqlite: EngineSpec = {
  name: 'sqlite',
  async start() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-sqlite-'));
    let count = 0;
    return {
      name: 'sqlite',
      freshUrl: async () => `sqlite:${path.join(dir, `db-${++count}`, 'kiln.sqlite')}`,
      close: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** PostgreSQL: one server for the whole suite (the harness), one database per test. */
export const postgres: EngineSpec = {
  name: 'postgres',
  async start() {
    const started = Date.now();
    const server = await startPostgres();
    startupMs.postgres = Date.now() - started;
    const databases: Array<{ stop(): Promise<void> }> = [];
    return {
      name: 'postgres',
      async freshUrl() {
        const database = await createDatabaseOn(server.url);
        databases.push(database);
        return database.url;
      },
      async close() {
        for (const database of databases.splice(0)) await database.stop();
        await server.stop();
      },
    };
  },
};

export const engines: readonly EngineSpec[] = [sqlite, postgres];

/** How long each engine took to start, printed by the suite. */
export const startupMs: Partial<Record<TestEngine['name'], number>> = {};

/** A migrated database with a registry on it, and everything to clean it up. */
export interface RegistryFixture {
  url: string;
  db: Knex;
  registry: Registry;
  /** More knex instances on the same database, destroyed with the fixture. */
  connect(): Knex;
  destroy(): Promise<void>;
}

export async function registryFixture(engine: TestEngine): Promise<RegistryFixture> {
  const url = await engine.freshUrl();
  const db = connectDatabase(url);
  const extra: Knex[] = [];
  await migrateToLatest(db);
  return {
    url,
    db,
    registry: createRegistry(db),
    connect() {
      const other = connectDatabase(url);
      extra.push(other);
      return other;
    },
    async destroy() {
      await Promise.all([db, ...extra.splice(0)].map((k) => k.destroy()));
    },
  };
}

/** Names of the application's tables (knex's own bookkeeping and SQLite internals left out). */
export async function tableNames(db: Knex): Promise<string[]> {
  const rows: Array<{ name: string }> =
    db.client.dialect === 'postgresql'
      ? await db('pg_tables').select('tablename as name').whereRaw('schemaname = current_schema()')
      : await db('sqlite_master').select('name').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%');
  return rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith('knex_migrations'))
    .sort();
}
