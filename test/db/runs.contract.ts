import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { connectDatabase, createRegistry, migrationConfig, migrations, type Registry } from '../../db';
import { InputError, NotFoundError } from '../../lib/errors';
import { registryFixture, tableNames, type RegistryFixture, type TestEngine } from './engines';
import { isIsoTimestamp, seedDataset, versionInput } from './helpers';

const config = { name: 'churn', target: { column: 'Churn', positive: 'Yes' }, training: { rounds: 200 } };

/** Pipeline runs, artifact checksums, model cards and lineage: identical on every engine. */
export function runsContract(engine: () => TestEngine): void {
  describe('pipeline runs, checksums, cards and lineage', () => {
    let f: RegistryFixture;
    let datasetId: string;
    beforeEach(async () => {
      f = await registryFixture(engine());
      datasetId = await seedDataset(f.registry);
    });
    afterEach(() => f?.destroy());

    const start = (runId: string, modelName = 'churn', registry: Registry = f.registry) => registry.startRun({ modelName, workflowId: `train-${modelName}`, runId, config });

    describe('runs', () => {
      it('startRun records a running run with its config; a retry returns the first record', async () => {
        const run = await start('r1');
        assert.equal(run.status, 'running');
        assert.equal(run.outcome, null);
        assert.deepEqual(run.config, config);
        assert.ok(isIsoTimestamp(run.startedAt), run.startedAt);
        assert.equal(run.finishedAt, null);
        const retried = await f.registry.startRun({ modelName: 'churn', workflowId: 'train-churn', runId: 'r1', config: { other: true } });
        assert.deepEqual(retried, run);
        assert.equal(await countRuns(f.db), 1);
      });

      it('concurrent starts of one run write one row', async () => {
        const registries = Array.from({ length: 8 }, () => (engine().name === 'postgres' ? createRegistry(f.connect()) : f.registry));
        const runs = await Promise.all(registries.map((registry) => start('same', 'churn', registry)));
        assert.equal(new Set(runs.map((run) => run.id)).size, 1);
        assert.equal(await countRuns(f.db), 1);
      });

      it('finishRun records the outcome, dataset and version; a retry or a second finish changes nothing', async () => {
        await start('r1');
        const finished = await f.registry.finishRun({ workflowId: 'train-churn', runId: 'r1', outcome: 'promoted', datasetId, modelVersion: 3 });
        assert.deepEqual([finished.status, finished.outcome, finished.datasetId, finished.modelVersion, finished.error], ['completed', 'promoted', datasetId, 3, null]);
        assert.ok(finished.finishedAt && isIsoTimestamp(finished.finishedAt) && finished.finishedAt >= finished.startedAt);
        const again = await f.registry.finishRun({ workflowId: 'train-churn', runId: 'r1', outcome: 'failed', error: 'late retry' });
        assert.deepEqual(again, finished);
        assert.deepEqual(await f.registry.getRun('train-churn', 'r1'), finished);
      });

      it('each outcome sets its status; a failure keeps its (bounded) error', async () => {
        const cases = [['kept-production', 'completed'], ['failed', 'failed'], ['cancelled', 'cancelled']] as const;
        for (const [outcome, status] of cases) {
          await start(outcome);
          const run = await f.registry.finishRun({ workflowId: 'train-churn', runId: outcome, outcome, ...(outcome === 'failed' ? { error: 'x'.repeat(10_000) } : {}) });
          assert.equal(run.status, status);
          assert.equal(run.datasetId, null, 'a run that failed before ingest has no dataset');
          if (outcome === 'failed') assert.equal(run.error?.length, 4000);
        }
      });

      it('unknown runs and datasets are NotFoundErrors; bad input is an InputError', async () => {
        await assert.rejects(f.registry.finishRun({ workflowId: 'train-churn', runId: 'nope', outcome: 'failed' }), NotFoundError);
        await assert.rejects(f.registry.getRun('train-churn', 'nope'), NotFoundError);
        await start('r1');
        await assert.rejects(f.registry.finishRun({ workflowId: 'train-churn', runId: 'r1', outcome: 'promoted', datasetId: 'ghost@000000000000' }), NotFoundError);
        assert.equal((await f.registry.getRun('train-churn', 'r1')).status, 'running', 'the refused finish left the run as it was');
        await assert.rejects(f.registry.finishRun({ workflowId: 'train-churn', runId: 'r1', outcome: 'done' as never }), (e: unknown) => e instanceof InputError && /outcome/.test(e.message));
        await assert.rejects(f.registry.finishRun({ workflowId: 'train-churn', runId: 'r1', outcome: 'promoted', modelVersion: 0 }), InputError);
        await assert.rejects(f.registry.startRun({ modelName: 'has space', workflowId: 'w', runId: 'r', config }), InputError);
        await assert.rejects(f.registry.startRun({ modelName: 'churn', workflowId: 'w', runId: '', config }), InputError);
        await assert.rejects(f.registry.listRuns({ limit: 0 }), (e: unknown) => e instanceof InputError && /limit/.test(e.message));
      });

      it('listRuns gives the newest first, filtered by model, up to the limit', async () => {
        for (const [runId, model] of [['a', 'churn'], ['b', 'upsell'], ['c', 'churn'], ['d', 'churn']] as const) {
          await start(runId, model);
          await new Promise((resolve) => setTimeout(resolve, 5)); // distinct start times
        }
        assert.deepEqual((await f.registry.listRuns()).map((run) => run.runId), ['d', 'c', 'b', 'a']);
        assert.deepEqual((await f.registry.listRuns({ modelName: 'churn', limit: 2 })).map((run) => run.runId), ['d', 'c']);
        assert.deepEqual(await f.registry.listRuns({ modelName: 'nobody' }), []);
      });
    });

    describe('artifact checksums, code version and card', () => {
      it('registration keeps checksums (sizes past 32 bits too) and the code version; the card key is set later', async () => {
        const v = await f.registry.registerModelVersion(versionInput(datasetId, 1, { modelChecksum: { sha256: 'a'.repeat(64), size: 5_000_000_000 }, codeVersion: 'abc123-dirty' }));
        assert.deepEqual(v.modelChecksum, { sha256: 'a'.repeat(64), size: 5_000_000_000 });
        assert.deepEqual(v.pipelineChecksum, { sha256: 'f'.repeat(64), size: 56 });
        assert.equal(v.codeVersion, 'abc123-dirty');
        assert.equal(v.cardKey, null);
        await f.registry.setModelCard('churn', 1, `sha256:${'c'.repeat(64)}`);
        await f.registry.setModelCard('churn', 1, `sha256:${'c'.repeat(64)}`);
        assert.deepEqual(await f.registry.getModelVersion('churn', 1), { ...v, cardKey: `sha256:${'c'.repeat(64)}` });
        await assert.rejects(f.registry.setModelCard('churn', 2, 'k'), NotFoundError);
      });

      it('a bad checksum or a missing code version is an InputError naming the field', async () => {
        const bad = [
          [{ modelChecksum: { sha256: 'A'.repeat(64), size: 1 } }, /modelChecksum\.sha256/],
          [{ pipelineChecksum: { sha256: 'a'.repeat(64), size: -1 } }, /pipelineChecksum\.size/],
          [{ modelChecksum: undefined as never }, /modelChecksum: expected an object/],
          [{ codeVersion: '' }, /codeVersion/],
        ] as const;
        for (const [override, message] of bad) {
          await assert.rejects(f.registry.registerModelVersion(versionInput(datasetId, 1, override)), (e: unknown) => e instanceof InputError && message.test(e.message));
        }
      });

      it('versions registered before this migration read with null checksums, code version and card', async () => {
        await f.registry.registerModelVersion(versionInput(datasetId, 1));
        await f.db('model_versions').update({ model_sha256: null, model_size: null, pipeline_sha256: null, pipeline_size: null, code_version: null });
        const v = await f.registry.getModelVersion('churn', 1);
        assert.deepEqual([v.modelChecksum, v.pipelineChecksum, v.codeVersion, v.cardKey], [null, null, null, null]);
      });
    });

    describe('lineage', () => {
      it('gives the version, its dataset, its run and its own stage history', async () => {
        await start('run-1');
        const v1 = await f.registry.registerModelVersion(versionInput(datasetId, 1));
        await f.registry.registerModelVersion(versionInput(datasetId, 2));
        await f.registry.promote({ modelName: 'churn', version: 1, reason: 'first', actor: 'user:ana' });
        await f.registry.promote({ modelName: 'churn', version: 2, reason: 'better', actor: 'user:ana' });
        await f.registry.finishRun({ workflowId: 'train-churn', runId: 'run-1', outcome: 'promoted', datasetId, modelVersion: 1 });

        const lineage = await f.registry.getLineage('churn', 1);
        assert.deepEqual(lineage.version, { ...v1, stage: 'archived' });
        assert.equal(lineage.dataset.id, datasetId);
        assert.deepEqual([lineage.run?.runId, lineage.run?.outcome, lineage.run?.modelVersion], ['run-1', 'promoted', 1]);
        assert.deepEqual(lineage.history.map((t) => t.toStage), ['candidate', 'production', 'archived']);
        assert.equal(lineage.study, undefined, 'a run that did not tune has no study');
        assert.equal((await f.registry.getLineage('churn', 2)).run, undefined, 'a version whose run was not recorded has none');
        await assert.rejects(f.registry.getLineage('churn', 9), NotFoundError);
      });

      it("includes the run's tuning study and its best trial, and omits them when the studies tables are absent", async () => {
        await ensureStudyTables(f.db);
        await f.registry.registerModelVersion(versionInput(datasetId, 1));
        const now = new Date().toISOString();
        const [study] = await f.db('studies')
          .insert({
            name: 'churn/run-1', model_name: 'churn', workflow_id: 'train-churn-study', direction: 'maximize', sampler: '{}', pruner: '{}', space: '{}', attrs: '{}',
            state: 'complete', best_trial_number: 1, best_value: 0.85, revision: 3, created_at: now, updated_at: now,
          })
          .returning('id');
        const studyId = typeof study === 'object' ? study.id : study;
        const trial = (number: number, value: number) => ({ study_id: studyId, number, state: 'COMPLETE', params: JSON.stringify({ max_depth: number + 3 }), value, intermediate: '{}', system_attrs: '{}' });
        await f.db('trials').insert([trial(0, 0.8), trial(1, 0.85)]);

        const { study: found } = await f.registry.getLineage('churn', 1);
        assert.deepEqual(found, {
          name: 'churn/run-1', direction: 'maximize', state: 'complete', bestTrialNumber: 1, bestValue: 0.85,
          bestTrial: { number: 1, state: 'COMPLETE', params: { max_depth: 4 }, value: 0.85 },
        });

        await f.db.schema.dropTable('trials');
        await f.db.schema.dropTable('studies');
        assert.equal((await f.registry.getLineage('churn', 1)).study, undefined);
      });
    });

    describe('migration 20261124010000_runs_and_cards', () => {
      let db: Knex | undefined;
      afterEach(async () => {
        await db?.destroy();
        db = undefined;
      });

      it('adds pipeline_runs and the version columns; down removes them and keeps the one-production index', async () => {
        db = connectDatabase(await engine().freshUrl());
        const index = migrations.findIndex((m) => m.name === '20261124010000_runs_and_cards');
        for (let i = 0; i < index; i++) await db.migrate.up(migrationConfig);
        const columnsBefore = Object.keys(await db('model_versions').columnInfo()).sort();
        await db.migrate.up(migrationConfig);
        assert.ok((await tableNames(db)).includes('pipeline_runs'));
        const added = Object.keys(await db('model_versions').columnInfo()).filter((c) => !columnsBefore.includes(c)).sort();
        assert.deepEqual(added, ['card_key', 'code_version', 'model_sha256', 'model_size', 'pipeline_sha256', 'pipeline_size']);
        await db.migrate.down(migrationConfig);
        assert.ok(!(await tableNames(db)).includes('pipeline_runs'));
        assert.deepEqual(Object.keys(await db('model_versions').columnInfo()).sort(), columnsBefore);
        // The database still refuses a second production version after the columns went.
        const now = new Date().toISOString();
        await db('datasets').insert({ id: 'd@000000000000', name: 'd', content_hash: '0'.repeat(64), snapshot_key: 'k', row_count: 1, schema_json: '{}', source_json: '{}', created_at: now });
        await db('models').insert({ name: 'm', created_at: now });
        const row = (version: number) => ({ model_name: 'm', version, stage: 'production', dataset_id: 'd@000000000000', params_json: '{}', metrics_json: '{}', model_key: 'k', pipeline_key: 'k', workflow_id: 'w', run_id: `r${version}`, created_at: now });
        await db('model_versions').insert(row(1));
        await assert.rejects(db('model_versions').insert(row(2)));
      });
    });
  });
}

async function countRuns(db: Knex): Promise<number> {
  return Number((await db('pipeline_runs').count({ n: '*' }).first())?.n);
}

/**
 * The studies tables come with another engineer's migration; where it is not applied, create the columns
 * lineage reads (and the ones the test writes), so the test checks lineage either way.
 */
async function ensureStudyTables(db: Knex): Promise<void> {
  if (await db.schema.hasTable('studies')) return;
  await db.schema.createTable('studies', (t) => {
    t.increments('id').primary();
    for (const column of ['name', 'model_name', 'workflow_id', 'direction', 'sampler', 'pruner', 'space', 'attrs', 'state']) t.text(column).notNullable();
    t.integer('best_trial_number').nullable();
    t.double('best_value').nullable();
    t.integer('revision').notNullable();
    t.text('created_at').notNullable();
    t.text('updated_at').notNullable();
  });
  await db.schema.createTable('trials', (t) => {
    t.integer('study_id').notNullable();
    t.integer('number').notNullable();
    for (const column of ['state', 'params', 'intermediate', 'system_attrs']) t.text(column).notNullable();
    t.double('value').nullable();
  });
}
