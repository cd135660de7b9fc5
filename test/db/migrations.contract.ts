import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { connectDatabase, migrateToLatest, migrationConfig, migrations } from '../../db';
import { tableNames, type TestEngine } from './engines';
import { raceInProcesses } from './processes';

/** Every migration, one at a time, up, down and up again, on the engine under test. */
export function migrationContract(engine: () => TestEngine): void {
  describe('migrations', () => {
    let db: Knex | undefined;
    afterEach(async () => {
      await db?.destroy();
      db = undefined;
    });

    it('are named by timestamp, in order, each with up and down', () => {
      const names = migrations.map((m) => m.name);
      for (const name of names) assert.match(name, /^\d{14}_[a-z0-9_]+$/);
      assert.deepEqual([...names].sort(), names);
      assert.equal(new Set(names).size, names.length);
      for (const m of migrations) assert.equal(typeof m.down, 'function', `${m.name} has a down`);
    });

    for (const [index, migration] of migrations.entries()) {
      it(`${migration.name}: up, down, up`, async () => {
        db = connectDatabase(await engine().freshUrl());
        for (let i = 0; i < index; i++) await db.migrate.up(migrationConfig);
        const before = await tableNames(db);

        await db.migrate.up(migrationConfig);
        const afterUp = await tableNames(db);
        assert.ok(afterUp.length > before.length || index > 0, 'the first migration creates tables');
        assert.deepEqual(await appliedNames(db), migrations.slice(0, index + 1).map((m) => m.name));

        await db.migrate.down(migrationConfig);
        assert.deepEqual(await tableNames(db), before, 'down leaves the schema as it found it');
        assert.deepEqual(await appliedNames(db), migrations.slice(0, index).map((m) => m.name));

        await db.migrate.up(migrationConfig);
        assert.deepEqual(await tableNames(db), afterUp, 'up after down gives the same tables');
      });
    }

    it('the registry migration creates the four registry tables, the next one the prediction log', async () => {
      db = connectDatabase(await engine().freshUrl());
      await db.migrate.up(migrationConfig);
      assert.deepEqual(await tableNames(db), ['datasets', 'model_versions', 'models', 'stage_transitions']);
      await db.migrate.up(migrationConfig);
      assert.deepEqual(await tableNames(db), ['datasets', 'feedback', 'model_versions', 'models', 'predictions', 'stage_transitions']);
    });

    it('migrateToLatest applies everything once, then nothing', async () => {
      db = connectDatabase(await engine().freshUrl());
      assert.deepEqual(await migrateToLatest(db), migrations.map((m) => m.name));
      assert.deepEqual(await migrateToLatest(db), []);
    });

    it('concurrent migrateToLatest calls in one process share one run', async () => {
      db = connectDatabase(await engine().freshUrl());
      const [first, second] = await Promise.all([migrateToLatest(db), migrateToLatest(db)]);
      assert.deepEqual(first, migrations.map((m) => m.name));
      assert.deepEqual(second, first);
      assert.deepEqual(await appliedNames(db), migrations.map((m) => m.name));
    });

    it('processes starting together (worker, API, CLI) apply each migration exactly once', async () => {
      const url = await engine().freshUrl();
      const outcomes = await raceInProcesses(url, [['migrate'], ['migrate'], ['migrate'], ['migrate']]);
      for (const outcome of outcomes) assert.ok(outcome.ok, JSON.stringify(outcome));
      const applied = outcomes.flatMap((o) => (o.ok ? (o.result as string[]) : []));
      assert.deepEqual(applied, migrations.map((m) => m.name), 'one process applied them, the others found nothing to do');
      db = connectDatabase(url);
      assert.deepEqual(await appliedNames(db), migrations.map((m) => m.name));
    });

    it("is not blocked by knex's lock row left set by a migrator that died mid-way", async () => {
      db = connectDatabase(await engine().freshUrl());
      for (let i = 0; i < migrations.length - 1; i++) await db.migrate.up(migrationConfig);
      await db('knex_migrations_lock').update({ is_locked: 1 });
      assert.deepEqual(await migrateToLatest(db), [migrations.at(-1)!.name]);
      assert.deepEqual(await db('knex_migrations_lock').pluck('is_locked'), [0]);
    });

    it('rolling everything back leaves no application table', async () => {
      db = connectDatabase(await engine().freshUrl());
      await migrateToLatest(db);
      await db.migrate.rollback(migrationConfig, true);
      assert.deepEqual(await tableNames(db), []);
    });
  });
}

async function appliedNames(db: Knex): Promise<string[]> {
  const rows: Array<{ name: string }> = await db('knex_migrations').select('name').orderBy('id');
  return rows.map((r) => r.name);
}
