import type { Knex } from 'knex';
import { databaseEngine } from './connect';
import * as registry from './migrations/20261123000000_registry';
import * as predictionLog from './migrations/20261123010000_prediction_log';
import * as datasetLineage from './migrations/20261124000000_dataset_lineage';
import * as runsAndCards from './migrations/20261124010000_runs_and_cards';
import * as studies from './migrations/20261124020000_studies';
import * as driftReports from './migrations/20261124030000_drift_reports';
import * as datasetValidations from './migrations/20261124060000_dataset_validations';

/** One schema step: a timestamped name and its `up` and `down`. */
export interface KilnMigration extends Knex.Migration {
  name: string;
  down: (knex: Knex) => Promise<void>;
}

/**
 * Every migration, oldest first. Listed in code rather than globbed from a folder so that they load the
 * same way under tsx, a bundler or compiled output. Append new ones; never rename or edit a released one
 * (knex records names in `knex_migrations` and refuses to run when a recorded one is missing).
 */
export const migrations: readonly KilnMigration[] = [
  { name: '20261123000000_registry', ...registry },
  { name: '20261123010000_prediction_log', ...predictionLog },
  { name: '20261124000000_dataset_lineage', ...datasetLineage },
  { name: '20261124010000_runs_and_cards', ...runsAndCards },
  { name: '20261124020000_studies', ...studies },
  { name: '20261124030000_drift_reports', ...driftReports },
  { name: '20261124060000_dataset_validations', ...datasetValidations },
];

const migrationSource: Knex.MigrationSource<KilnMigration> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

/** The knex migrator settings for Kiln's schema; pass to `db.migrate.up/down/rollback` as well. */
export const migrationConfig: Knex.MigratorConfig = {
  migrationSource: migrationSource as Knex.MigrationSource<unknown>,
  tableName: 'knex_migrations',
};

/** Concurrent calls on one knex instance share one run. */
const running = new WeakMap<Knex, Promise<string[]>>();
/** Arbitrary constant naming Kiln's migration lock among PostgreSQL advisory locks. */
const postgresLockKey = 5_281_907_311;
const lockWaitMs = 60_000;

/**
 * Brings the schema up to date; safe to call at every start of the worker, the API and the CLI, also when
 * they start together: calls in one process share a run, processes take turns (an advisory lock on
 * PostgreSQL, an exclusive lock file beside a SQLite database). Returns the names this call applied (a
 * shared run reports its names to every caller).
 *
 * @example await migrateToLatest(connectDatabase(settings.databaseUrl));
 */
export function migrateToLatest(db: Knex): Promise<string[]> {
  let run = running.get(db);
  if (!run) {
    run = migrateExclusively(db).finally(() => running.delete(db));
    running.set(db, run);
  }
  return run;
}

async function migrateExclusively(db: Knex): Promise<string[]> {
  const deadline = Date.now() + lockWaitMs;
  if (databaseEngine(db) === 'postgres') {
    // Held by this transaction's connection while knex migrates on others of the pool (needs max >= 2).
    return db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [postgresLockKey]);
      await freeLeftoverKnexLock(db);
      return latest(db);
    });
  }
  const { filename } = db.client.config.connection as { filename: string };
  if (filename === ':memory:') return latest(db);
  const lock = await takeSqliteMigrationLock(`${filename}.migrate-lock`, deadline);
  try {
    await freeLeftoverKnexLock(db);
    for (;;) {
      try {
        return await latest(db);
      } catch (error) {
        // Another process writing (the API logging predictions) can hold the database past the busy timeout.
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
        await pause();
      }
    }
  } finally {
    lock.close();
  }
}

/**
 * SQLite's processes take turns through an exclusive transaction on a small database of its own beside
 * the real one: the OS drops it when its holder exits, crashed or not. knex's lock row cannot do that —
 * a migrator that dies, or fails on a busy database, leaves it set, and every later start waits in vain.
 * Tried without blocking (timeout 0) and retried, so a wait never stalls this process's event loop.
 */
async function takeSqliteMigrationLock(file: string, deadline: number): Promise<SqliteLockFile> {
  const lock = new openSqlite(file, { timeout: 0 });
  for (;;) {
    try {
      lock.exec('BEGIN EXCLUSIVE');
      return lock;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) {
        lock.close();
        throw error;
      }
      await pause();
    }
  }
}

/** The little of better-sqlite3 (knex's SQLite driver, which has no bundled types) the lock file needs. */
interface SqliteLockFile {
  exec(sql: string): void;
  close(): void;
}
const openSqlite = require('better-sqlite3') as new (file: string, options: { timeout: number }) => SqliteLockFile;

const pause = () => new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));

/** Called holding Kiln's lock: no other Kiln process migrates, so knex's lock row, if set, was left by a migrator that died. */
function freeLeftoverKnexLock(db: Knex): Promise<void> {
  return db.migrate.forceFreeMigrationsLock(migrationConfig);
}

async function latest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

