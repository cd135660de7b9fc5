import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { constraintViolation } from '../../db/db-errors';
import { ConflictError, InputError, NotFoundError } from '../../lib/errors';
import { registryFixture, type RegistryFixture, type TestEngine } from './engines';
import { assertCoherentAuditLog, hashA, hashB, isIsoTimestamp, registerVersions, seedDataset, versionInput } from './helpers';

/** The registry's behaviour, identical on every engine. */
export function registryContract(engine: () => TestEngine): void {
  describe('registry', () => {
    let f: RegistryFixture;
    beforeEach(async () => {
      f = await registryFixture(engine());
    });
    afterEach(() => f?.destroy());

    describe('datasets', () => {
      it('upsertDataset creates a dataset with an id from name and hash prefix, and reads it back', async () => {
        const { dataset, created } = await f.registry.upsertDataset({
          name: 'telco-churn',
          contentHash: hashA,
          snapshotKey: 'sha256/aaa.parquet',
          rowCount: 7043,
          schema: { columns: [{ name: 'tenure', type: 'int' }, { name: 'é', type: 'string' }] },
          source: { path: 'data/telco.csv', delimiter: ';' },
        });
        assert.equal(created, true);
        assert.equal(dataset.id, `telco-churn@${hashA.slice(0, 12)}`);
        assert.ok(isIsoTimestamp(dataset.createdAt), dataset.createdAt);
        assert.deepEqual(await f.registry.getDataset(dataset.id), dataset);
        assert.deepEqual(dataset.schema, { columns: [{ name: 'tenure', type: 'int' }, { name: 'é', type: 'string' }] });
        assert.deepEqual(dataset.source, { path: 'data/telco.csv', delimiter: ';' });
        assert.equal(dataset.rowCount, 7043);
      });

      it('the same name and content returns the stored dataset, nothing rewritten', async () => {
        const first = await f.registry.upsertDataset({ name: 'd', contentHash: hashA, snapshotKey: 'k1', rowCount: 1, schema: { v: 1 }, source: 's1' });
        const again = await f.registry.upsertDataset({ name: 'd', contentHash: hashA, snapshotKey: 'k2', rowCount: 2, schema: { v: 2 }, source: 's2' });
        assert.equal(again.created, false);
        assert.deepEqual(again.dataset, first.dataset);
        assert.equal(again.dataset.snapshotKey, 'k1');
        assert.equal(await f.db('datasets').count({ n: '*' }).first().then((r) => Number(r?.n)), 1);
      });

      it('other content or another name is another dataset', async () => {
        const a = await seedDataset(f.registry, 'd', hashA);
        const b = await seedDataset(f.registry, 'd', hashB);
        const c = await seedDataset(f.registry, 'e', hashA);
        assert.equal(new Set([a, b, c]).size, 3);
      });

      it('another content sharing the 12-character hash prefix is a ConflictError', async () => {
        await seedDataset(f.registry, 'd', `${'c'.repeat(12)}1`);
        await assert.rejects(seedDataset(f.registry, 'd', `${'c'.repeat(12)}2`), ConflictError);
      });

      it('getDataset of an unknown id is a NotFoundError', async () => {
        await assert.rejects(f.registry.getDataset('nope@000000000000'), (e: unknown) => e instanceof NotFoundError && /nope@/.test(e.message));
      });

      it('bad input is an InputError naming the field', async () => {
        const good = { name: 'd', contentHash: hashA, snapshotKey: 'k', rowCount: 1, schema: {}, source: {} };
        await assert.rejects(f.registry.upsertDataset({ ...good, name: 'has space' }), /InputError|name:/);
        await assert.rejects(f.registry.upsertDataset({ ...good, contentHash: 'abc' }), (e: unknown) => e instanceof InputError && /contentHash/.test(e.message));
        await assert.rejects(f.registry.upsertDataset({ ...good, rowCount: -1 }), (e: unknown) => e instanceof InputError && /rowCount/.test(e.message));
        await assert.rejects(f.registry.upsertDataset({ ...good, snapshotKey: '' }), InputError);
      });
    });

    describe('model versions', () => {
      let datasetId: string;
      beforeEach(async () => {
        datasetId = await seedDataset(f.registry);
      });

      it('registers versions 1, 2, 3 per model as candidates, each audited', async () => {
        const versions = await registerVersions(f.registry, datasetId, 3);
        assert.deepEqual(versions.map((v) => [v.version, v.stage]), [[1, 'candidate'], [2, 'candidate'], [3, 'candidate']]);
        const [other] = await registerVersions(f.registry, datasetId, 1, 'upsell');
        assert.equal(other.version, 1, 'numbering is per model');
        const log = await f.registry.listStageTransitions('churn');
        assert.deepEqual(log.map((t) => [t.version, t.fromStage, t.toStage, t.reason, t.actor]), [
          [1, null, 'candidate', 'registered', 'workflow:train-churn'],
          [2, null, 'candidate', 'registered', 'workflow:train-churn'],
          [3, null, 'candidate', 'registered', 'workflow:train-churn'],
        ]);
        assert.ok(log.every((t) => isIsoTimestamp(t.at)));
        assertCoherentAuditLog(log, await f.registry.listModelVersions('churn'));
      });

      it('reads back every field as registered', async () => {
        const input = versionInput(datasetId, 'x', { params: { max_depth: 6, nested: { list: [1, 'two', null] } }, metrics: { auc: 0.9123456789, n: 3 } });
        const v = await f.registry.registerModelVersion(input);
        assert.deepEqual(
          { ...v, id: undefined, createdAt: undefined },
          { ...input, id: undefined, createdAt: undefined, version: 1, stage: 'candidate', cardKey: null },
        );
        assert.equal(typeof v.id, 'number');
        assert.ok(isIsoTimestamp(v.createdAt), v.createdAt);
        assert.deepEqual(await f.registry.getModelVersion('churn', 1), v);
        assert.deepEqual(await f.registry.listModelVersions('churn'), [v]);
      });

      it('a retried registration of the same run returns the same version, unchanged and not re-audited', async () => {
        const first = await f.registry.registerModelVersion(versionInput(datasetId, 1));
        const retried = await f.registry.registerModelVersion(versionInput(datasetId, 1, { metrics: { auc: 0.1 }, modelKey: 'other' }));
        assert.deepEqual(retried, first);
        assert.equal((await f.registry.listModelVersions('churn')).length, 1);
        assert.equal((await f.registry.listStageTransitions('churn')).length, 1);
        const nextRun = await f.registry.registerModelVersion(versionInput(datasetId, 2));
        assert.equal(nextRun.version, 2, 'a new run of the same workflow id is a new version');
      });

      it('an unknown dataset is a NotFoundError and leaves nothing behind', async () => {
        await assert.rejects(f.registry.registerModelVersion(versionInput('nope@0', 1, { modelName: 'ghost' })), NotFoundError);
        assert.deepEqual(await f.registry.listModels(), [], 'the models row was rolled back');
      });

      it('bad input is an InputError', async () => {
        await assert.rejects(f.registry.registerModelVersion(versionInput(datasetId, 1, { metrics: { auc: Number.NaN } })), (e: unknown) => e instanceof InputError && /metrics\.auc/.test(e.message));
        await assert.rejects(f.registry.registerModelVersion(versionInput(datasetId, 1, { modelName: '../etc' })), InputError);
        await assert.rejects(f.registry.registerModelVersion(versionInput(datasetId, 1, { runId: '' })), InputError);
      });

      it('unknown models and versions: NotFoundError, except getProductionVersion which says undefined', async () => {
        await registerVersions(f.registry, datasetId, 1);
        await assert.rejects(f.registry.getModelVersion('churn', 2), NotFoundError);
        await assert.rejects(f.registry.getModelVersion('nope', 1), NotFoundError);
        await assert.rejects(f.registry.getModelVersion('churn', Number('x')), InputError);
        await assert.rejects(f.registry.listModelVersions('nope'), NotFoundError);
        await assert.rejects(f.registry.listStageTransitions('nope'), NotFoundError);
        assert.equal(await f.registry.getProductionVersion('nope'), undefined);
        assert.equal(await f.registry.getProductionVersion('churn'), undefined);
      });

      it('listModels gives the latest and the production version of each model, by name', async () => {
        await registerVersions(f.registry, datasetId, 3);
        await registerVersions(f.registry, datasetId, 1, 'a-model');
        await f.registry.promote({ modelName: 'churn', version: 2, reason: 'best', actor: 'user:ana' });
        assert.deepEqual(await f.registry.listModels(), [
          { name: 'a-model', latestVersion: 1 },
          { name: 'churn', latestVersion: 3, productionVersion: 2 },
        ]);
      });
    });

    describe('promotion', () => {
      beforeEach(async () => {
        await registerVersions(f.registry, await seedDataset(f.registry), 3);
      });
      const promote = (version: number, reason = `promote ${version}`) => f.registry.promote({ modelName: 'churn', version, reason, actor: 'user:ana' });
      const stagesNow = async () => (await f.registry.listModelVersions('churn')).map((v) => v.stage);

      it('promotes, replaces, rolls back, and audits every change', async () => {
        assert.deepEqual(await promote(1), { promoted: true });
        assert.equal((await f.registry.getProductionVersion('churn'))?.version, 1);
        assert.deepEqual(await promote(2), { promoted: true, previousProduction: 1 });
        assert.deepEqual(await stagesNow(), ['archived', 'production', 'candidate']);
        // Rollback is promoting the previous production version again.
        assert.deepEqual(await promote(1, 'rollback'), { promoted: true, previousProduction: 2 });
        assert.deepEqual(await stagesNow(), ['production', 'archived', 'candidate']);

        const log = await f.registry.listStageTransitions('churn');
        assert.deepEqual(log.slice(3).map((t) => [t.version, t.fromStage, t.toStage, t.reason, t.actor]), [
          [1, 'candidate', 'production', 'promote 1', 'user:ana'],
          [1, 'production', 'archived', 'replaced by version 2: promote 2', 'user:ana'],
          [2, 'candidate', 'production', 'promote 2', 'user:ana'],
          [2, 'production', 'archived', 'replaced by version 1: rollback', 'user:ana'],
          [1, 'archived', 'production', 'rollback', 'user:ana'],
        ]);
        assertCoherentAuditLog(log, await f.registry.listModelVersions('churn'));
      });

      it('moves versions through staging and archived, audited and idempotent, but never in or out of production', async () => {
        const setStage = (version: number, stage: 'candidate' | 'staging' | 'archived') => f.registry.setStage({ modelName: 'churn', version, stage, reason: `to ${stage}`, actor: 'user:ana' });
        assert.deepEqual(await setStage(2, 'staging'), { changed: true, from: 'candidate' });
        assert.deepEqual(await setStage(2, 'staging'), { changed: false, from: 'staging' });
        await promote(2, 'staging looked good');
        assert.deepEqual(await setStage(3, 'archived'), { changed: true, from: 'candidate' });
        assert.deepEqual(await stagesNow(), ['candidate', 'production', 'archived']);
        await assert.rejects(setStage(2, 'archived'), (error: Error) => error instanceof ConflictError && /is in production: promote another version or roll back first/.test(error.message));
        await assert.rejects(f.registry.setStage({ modelName: 'churn', version: 1, stage: 'production' as 'staging', reason: 'r', actor: 'a' }), /stage: expected candidate, staging or archived/);
        await assert.rejects(setStage(9, 'staging'), /model "churn" has no version 9/);
        const log = await f.registry.listStageTransitions('churn');
        assert.deepEqual(log.slice(3).map((t) => [t.version, t.fromStage, t.toStage, t.reason]), [
          [2, 'candidate', 'staging', 'to staging'],
          [2, 'staging', 'production', 'staging looked good'],
          [3, 'candidate', 'archived', 'to archived'],
        ]);
        assertCoherentAuditLog(log, await f.registry.listModelVersions('churn'));
      });

      it('rollback walks back through production history, audited, and repeating it with fromVersion is a no-op', async () => {
        await promote(1);
        await promote(2);
        await promote(3);
        const rollback = (fromVersion?: number) => f.registry.rollback({ modelName: 'churn', fromVersion, reason: 'bad canary', actor: 'user:ana' });
        assert.deepEqual(await rollback(3), { rolledBack: true, production: 2 });
        assert.deepEqual(await rollback(3), { rolledBack: false, production: 2 });
        assert.deepEqual(await stagesNow(), ['archived', 'production', 'archived']);
        assert.deepEqual(await rollback(), { rolledBack: true, production: 1 });
        await assert.rejects(rollback(), (error: Error) => error instanceof NotFoundError && /no earlier production version/.test(error.message));
        const log = await f.registry.listStageTransitions('churn');
        assert.deepEqual(log.slice(-2).map((t) => [t.version, t.fromStage, t.toStage, t.reason]), [
          [2, 'production', 'archived', 'rolled back to version 1: bad canary'],
          [1, 'archived', 'production', 'rollback: bad canary'],
        ]);
        assertCoherentAuditLog(log, await f.registry.listModelVersions('churn'));
      });

      it('rollback without a production version is a NotFoundError', async () => {
        await assert.rejects(f.registry.rollback({ modelName: 'churn', reason: 'x', actor: 'user:ana' }), NotFoundError);
      });

      it('promoting the production version again changes and audits nothing', async () => {
        await promote(2);
        const before = await f.registry.listStageTransitions('churn');
        assert.deepEqual(await promote(2), { promoted: false });
        assert.deepEqual(await f.registry.listStageTransitions('churn'), before);
        assert.deepEqual(await stagesNow(), ['candidate', 'production', 'candidate']);
      });

      it('a staging version may be promoted', async () => {
        await f.db('model_versions').where({ model_name: 'churn', version: 3 }).update({ stage: 'staging' });
        assert.deepEqual(await promote(3), { promoted: true });
        const last = (await f.registry.listStageTransitions('churn')).at(-1);
        assert.deepEqual([last?.fromStage, last?.toStage], ['staging', 'production']);
      });

      it('an unknown version or model is a NotFoundError; bad input an InputError', async () => {
        await assert.rejects(promote(9), NotFoundError);
        await assert.rejects(f.registry.promote({ modelName: 'nope', version: 1, reason: 'r', actor: 'a' }), NotFoundError);
        await assert.rejects(promote(0), InputError);
        await assert.rejects(f.registry.promote({ modelName: 'churn', version: 1, reason: 'r', actor: ' ' }), InputError);
        assert.equal(await f.registry.getProductionVersion('churn'), undefined);
      });

      it('a stage changed under the promotion is a ConflictError, and nothing of it is kept', async () => {
        await promote(1);
        const before = await f.registry.listStageTransitions('churn');
        // Between promote's read and its guarded update, another writer (bypassing the registry) moves version 2.
        const undo = sabotageBefore(f, /^update .model_versions. set .stage. = /i, (db) =>
          db('model_versions').where({ model_name: 'churn', version: 2 }).update({ stage: 'staging' }),
        );
        try {
          await assert.rejects(promote(2), (e: unknown) => e instanceof ConflictError && /no longer/.test(e.message));
        } finally {
          undo();
        }
        assert.deepEqual(await stagesNow(), ['production', 'candidate', 'candidate'], 'the transaction was rolled back');
        assert.deepEqual(await f.registry.listStageTransitions('churn'), before);
      });

      it('a second production version appearing during the promotion is a ConflictError', async () => {
        const undo = sabotageBefore(f, /^update .model_versions. set .stage. = /i, (db) =>
          db('model_versions').where({ model_name: 'churn', version: 3 }).update({ stage: 'production' }),
        );
        try {
          await assert.rejects(promote(2), ConflictError);
        } finally {
          undo();
        }
        assert.deepEqual(await stagesNow(), ['candidate', 'candidate', 'candidate']);
      });
    });

    describe('constraints of the database itself', () => {
      let datasetId: string;
      beforeEach(async () => {
        datasetId = await seedDataset(f.registry);
        await registerVersions(f.registry, datasetId, 2);
        await f.registry.promote({ modelName: 'churn', version: 1, reason: 'r', actor: 'a' });
      });

      it('refuses a second production version of one model, written directly', async () => {
        await assert.rejects(f.db('model_versions').where({ model_name: 'churn', version: 2 }).update({ stage: 'production' }), isConstraint('unique'));
        await registerVersions(f.registry, datasetId, 1, 'other');
        await f.db('model_versions').where({ model_name: 'other', version: 1 }).update({ stage: 'production' });
      });

      it('refuses an unknown stage, a duplicate version, an unknown dataset or model', async () => {
        const row = await f.db('model_versions').where({ model_name: 'churn', version: 2 }).first();
        const { id, ...rest } = row;
        const copy = { ...rest, version: 3, run_id: 'another' };
        await assert.rejects(f.db('model_versions').where({ id }).update({ stage: 'retired' }), isConstraint('check'));
        await assert.rejects(f.db('model_versions').insert({ ...copy, version: 2 }), isConstraint('unique'));
        await assert.rejects(f.db('model_versions').insert({ ...copy, run_id: row.run_id }), isConstraint('unique'));
        await assert.rejects(f.db('model_versions').insert({ ...copy, dataset_id: 'nope' }), isConstraint('foreign-key'));
        await assert.rejects(f.db('model_versions').insert({ ...copy, model_name: 'nope' }), isConstraint('foreign-key'));
        await assert.rejects(
          f.db('stage_transitions').insert({ model_name: 'churn', version: 9, from_stage: null, to_stage: 'candidate', reason: 'r', actor: 'a', at: new Date().toISOString() }),
          isConstraint('foreign-key'),
        );
      });
    });
  });
}

/**
 * Runs `action` on the same connection right before the next statement matching `sql`, once, as if
 * another writer had committed just before. Returns the undo; call it in `finally`.
 */
function sabotageBefore(f: RegistryFixture, sql: RegExp, action: (db: Knex) => Knex.QueryBuilder): () => void {
  // knex's per-statement hook, `_query`, is the only point between two statements of a transaction.
  // Transactions run on a client made from the dialect's prototype, so the prototype is patched.
  type Query = (this: unknown, connection: unknown, obj: { sql: string }) => Promise<unknown>;
  const proto = Object.getPrototypeOf(f.db.client) as { _query: Query };
  const original = proto._query;
  let armed = true;
  proto._query = async function (connection, obj) {
    if (armed && sql.test(obj.sql)) {
      armed = false;
      await original.call(this, connection, { sql: action(f.db).toString() });
    }
    return original.call(this, connection, obj);
  };
  return () => {
    proto._query = original;
  };
}

function isConstraint(kind: 'unique' | 'check' | 'foreign-key'): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.equal(constraintViolation(e), kind, `expected a ${kind} violation, got ${String(e)}`);
    return true;
  };
}
