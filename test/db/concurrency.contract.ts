import assert from 'node:assert/strict';
import { createRegistry, type PromoteResult, type Registry } from '../../db';
import { registryFixture, type RegistryFixture, type TestEngine } from './engines';
import { assertCoherentAuditLog, registerVersions, seedDataset, versionInput } from './helpers';
import { raceInProcesses } from './processes';

const racers = 10;

/** Races that the worker, the API and the CLI can run into; identical outcome on every engine. */
export function concurrencyContract(engine: () => TestEngine): void {
  describe('concurrency', () => {
    let f: RegistryFixture;
    let datasetId: string;
    beforeEach(async () => {
      f = await registryFixture(engine());
      datasetId = await seedDataset(f.registry);
    });
    afterEach(() => f?.destroy());

    /**
     * Registries for racing callers in this process. PostgreSQL: one knex instance (pool) each, so every
     * caller has its own connections. SQLite: the shared instance, whose single connection makes knex
     * queue the transactions; several instances on one file in one process would deadlock, since
     * better-sqlite3 waits for a lock synchronously (separate processes are raced below).
     */
    const racingRegistries = (): Registry[] =>
      Array.from({ length: racers }, () => (engine().name === 'postgres' ? createRegistry(f.connect()) : f.registry));

    it(`${racers} concurrent registrations of one model get distinct, consecutive versions`, async () => {
      const registries = racingRegistries();
      const versions = await Promise.all(registries.map((r, i) => r.registerModelVersion(versionInput(datasetId, i))));
      assert.deepEqual(versions.map((v) => v.version).sort((a, b) => a - b), Array.from({ length: racers }, (_, i) => i + 1));
      const log = await f.registry.listStageTransitions('churn');
      assert.equal(log.length, racers);
      assertCoherentAuditLog(log, await f.registry.listModelVersions('churn'));
    });

    it(`${racers} concurrent retries of one registration make one version`, async () => {
      const registries = racingRegistries();
      const versions = await Promise.all(registries.map((r) => r.registerModelVersion(versionInput(datasetId, 'same'))));
      assert.deepEqual(new Set(versions.map((v) => v.id)).size, 1);
      assert.equal((await f.registry.listModelVersions('churn')).length, 1);
      assert.equal((await f.registry.listStageTransitions('churn')).length, 1);
    });

    it(`${racers} concurrent promotions of different versions end with one production version and a coherent log`, async () => {
      await registerVersions(f.registry, datasetId, racers + 1);
      await f.registry.promote({ modelName: 'churn', version: 1, reason: 'initial', actor: 'user:ana' });
      const raced = Array.from({ length: racers }, (_, i) => i + 2);
      const registries = racingRegistries();
      const results = await Promise.all(
        registries.map((r, i) => r.promote({ modelName: 'churn', version: raced[i], reason: `race ${raced[i]}`, actor: `racer:${i}` })),
      );
      await assertOneProductionAfterRace(f, results, raced, 1);
    });

    it(`${racers} concurrent promotions of the same version promote it once`, async () => {
      await registerVersions(f.registry, datasetId, 2);
      await f.registry.promote({ modelName: 'churn', version: 1, reason: 'initial', actor: 'user:ana' });
      const registries = racingRegistries();
      const results = await Promise.all(registries.map((r) => r.promote({ modelName: 'churn', version: 2, reason: 'same', actor: 'racer' })));
      assert.equal(results.filter((r) => r.promoted).length, 1);
      assert.deepEqual(results.find((r) => r.promoted), { promoted: true, previousProduction: 1 });
      const versions = await f.registry.listModelVersions('churn');
      assert.deepEqual(versions.map((v) => v.stage), ['archived', 'production']);
      assertCoherentAuditLog(await f.registry.listStageTransitions('churn'), versions);
    });

    it('promotions racing from separate processes end with one production version and a coherent log', async () => {
      const processes = 6;
      await registerVersions(f.registry, datasetId, processes);
      const outcomes = await raceInProcesses(
        f.url,
        Array.from({ length: processes }, (_, i) => ['promote', 'churn', String(i + 1)]),
      );
      const results = outcomes.map((o) => {
        assert.ok(o.ok, `a racer failed: ${JSON.stringify(o)}`);
        return o.result as PromoteResult;
      });
      await assertOneProductionAfterRace(f, results, Array.from({ length: processes }, (_, i) => i + 1), undefined);
    });
  });
}

/**
 * After promotions of distinct `versions` raced (`initial` was production before): they happened one
 * after the other, each replacing the previous, so exactly one production version remains, the results
 * form one chain, and the audit log replays to the final stages.
 */
async function assertOneProductionAfterRace(f: RegistryFixture, results: PromoteResult[], versions: number[], initial: number | undefined): Promise<void> {
  const all = await f.registry.listModelVersions('churn');
  const production = all.filter((v) => v.stage === 'production');
  assert.equal(production.length, 1, 'exactly one production version');
  assert.ok(results.every((r) => r.promoted), 'every racer promoted its version, in turn');
  assert.ok(versions.includes(production[0].version));
  // A chain: the first racer replaced `initial`, each other one the racer before it; so each raced
  // version but the final one was replaced exactly once.
  const replaced = results.map((r) => r.previousProduction);
  const expected = [initial, ...versions.filter((v) => v !== production[0].version)];
  assert.deepEqual(replaced.map(String).sort(), expected.map(String).sort(), 'each promotion replaced the one before it');
  const log = await f.registry.listStageTransitions('churn');
  assertCoherentAuditLog(log, all);
  const toProduction = log.filter((t) => t.toStage === 'production').map((t) => t.version);
  assert.equal(toProduction.at(-1), production[0].version, 'the last promotion in the log is the production version');
}
