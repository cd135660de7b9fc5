import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { InputError } from '../lib/errors';

/** What a `DATABASE_URL` designates. */
export type DatabaseTarget =
  | { engine: 'sqlite'; /** absolute path, or `:memory:` */ filename: string }
  | { engine: 'postgres'; url: string };

/**
 * Reads a `DATABASE_URL`: `sqlite:<file path>` (relative to `cwd`; `sqlite::memory:` for a private
 * in-memory database) or `postgres://…` / `postgresql://…`. Anything else is an InputError naming the
 * variable and the value (password masked).
 *
 * @example parseDatabaseUrl('sqlite:var/kiln.sqlite') // { engine: 'sqlite', filename: '<cwd>/var/kiln.sqlite' }
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  const value = url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { engine: 'postgres', url: value };
  if (/^sqlite:/i.test(value)) {
    const file = value.slice('sqlite:'.length);
    if (file === ':memory:') return { engine: 'sqlite', filename: ':memory:' };
    if (file !== '' && !file.startsWith('//')) return { engine: 'sqlite', filename: path.resolve(cwd, file) };
  }
  throw new InputError(
    `DATABASE_URL: expected "sqlite:<file path>" or "postgres://user@host:port/database", got "${maskPassword(value)}"`,
    { variable: 'DATABASE_URL', value: maskPassword(value) },
  );
}

/**
 * Opens a knex instance for a `DATABASE_URL` (see `parseDatabaseUrl`). Does not migrate: call
 * `migrateToLatest(db)` once at start-up. Destroy it with `db.destroy()`.
 *
 * SQLite: creates the parent folder; every connection gets WAL (the worker and the API are separate
 * processes sharing the file: readers do not block the writer), `busy_timeout = 5000` (a writer waits
 * for the other process instead of failing at once) and `foreign_keys = ON` (off by default in SQLite).
 * Open ONE instance per process on a SQLite file: better-sqlite3 is synchronous, so a second instance in
 * the same process would wait for the first inside the busy handler, blocking the event loop that the
 * first needs to finish its transaction.
 *
 * @example const db = connectDatabase(process.env.DATABASE_URL ?? 'sqlite:var/kiln.sqlite');
 */
export function connectDatabase(url: string): Knex {
  const target = parseDatabaseUrl(url);
  if (target.engine === 'postgres') {
    // min 0: idle connections are closed rather than kept until a firewall silently drops them.
    return knex({ client: 'pg', connection: target.url, pool: { min: 0, max: 10 } });
  }
  if (target.filename !== ':memory:') fs.mkdirSync(path.dirname(target.filename), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: target.filename },
    useNullAsDefault: true,
    pool: {
      // One connection, never reaped (min 1): knex then queues the transactions of this process instead
      // of interleaving them, and a `:memory:` database lives as long as the instance.
      min: 1,
      max: 1,
      afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: SqliteConnection) => void) {
        try {
          connection.pragma('journal_mode = WAL');
          connection.pragma('busy_timeout = 5000');
          connection.pragma('foreign_keys = ON');
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
    },
  });
}

/** Which engine a knex instance talks to; the few engine-specific statements branch on it. */
export function databaseEngine(db: Knex): 'sqlite' | 'postgres' {
  const dialect: string = db.client.dialect;
  if (dialect === 'postgresql') return 'postgres';
  if (dialect === 'sqlite3') return 'sqlite';
  throw new InputError(`unsupported database dialect "${dialect}": Kiln runs on SQLite and PostgreSQL`, { dialect });
}

interface SqliteConnection {
  pragma(source: string): unknown;
}

function maskPassword(value: string): string {
  return value.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
