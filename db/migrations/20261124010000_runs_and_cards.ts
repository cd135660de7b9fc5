import type { Knex } from 'knex';

/** Copied rather than imported: a migration must not change when app code does. */
const runStatuses = ['running', 'completed', 'failed', 'cancelled'];
const runOutcomes = ['promoted', 'kept-production', 'failed', 'cancelled'];

const versionColumns = ['model_sha256', 'model_size', 'pipeline_sha256', 'pipeline_size', 'code_version', 'card_key'];

/**
 * Pipeline runs (one row per Temporal workflow run of `trainingPipeline`, written by the workflow's own
 * activities at its start and end), and on model versions what lineage and serving need: artifact
 * checksums and sizes (verified when the API loads a version), the code version that trained it, and
 * its model card. The version columns are nullable: versions registered before this step have none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pipeline_runs', (t) => {
    t.increments('id').primary();
    t.text('model_name').notNullable();
    t.text('workflow_id').notNullable();
    t.text('run_id').notNullable();
    t.text('status').notNullable().checkIn(runStatuses, 'pipeline_runs_status_check');
    t.text('outcome').nullable().checkIn(runOutcomes, 'pipeline_runs_outcome_check');
    t.text('dataset_id').nullable().references('id').inTable('datasets');
    t.integer('model_version').nullable();
    t.text('config_json').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).nullable();
    t.text('error').nullable();
    // A retried start activity finds its row instead of adding one.
    t.unique(['workflow_id', 'run_id'], { indexName: 'pipeline_runs_workflow_run_unique' });
    t.index(['model_name', 'started_at'], 'pipeline_runs_model_started_index');
    t.index(['started_at'], 'pipeline_runs_started_index');
  });

  await knex.schema.alterTable('model_versions', (t) => {
    t.text('model_sha256').nullable();
    t.bigInteger('model_size').nullable();
    t.text('pipeline_sha256').nullable();
    t.bigInteger('pipeline_size').nullable();
    t.text('code_version').nullable();
    t.text('card_key').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pipeline_runs');
  if (knex.client.dialect === 'sqlite3') {
    // SQLite drops plain columns in place; knex's dropColumn would rebuild model_versions instead, a copy
    // that other tables' foreign keys and the partial production index would have to survive.
    for (const column of versionColumns) await knex.raw('ALTER TABLE model_versions DROP COLUMN ??', [column]);
  } else {
    await knex.schema.alterTable('model_versions', (t) => t.dropColumns(...versionColumns));
  }
}
