import type { Knex } from 'knex';

/** Stages of a model version, copied rather than imported: a migration must not change when app code does. */
const stages = ['candidate', 'staging', 'production', 'archived'];

/**
 * The registry's foundation: datasets, models, their versions and the stage audit log.
 * Timestamps are `timestamp with time zone` holding ISO strings written by the application (SQLite keeps
 * the text as is); JSON is text, parsed by the mappers, so both engines store the same thing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('datasets', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('content_hash').notNullable();
    t.text('snapshot_key').notNullable();
    t.integer('row_count').notNullable();
    t.text('schema_json').notNullable();
    t.text('source_json').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['name', 'content_hash'], { indexName: 'datasets_name_content_hash_unique' });
  });

  await knex.schema.createTable('models', (t) => {
    t.text('name').primary();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('model_versions', (t) => {
    t.increments('id').primary();
    t.text('model_name').notNullable().references('name').inTable('models');
    t.integer('version').notNullable();
    t.text('stage').notNullable().checkIn(stages, 'model_versions_stage_check');
    t.text('dataset_id').notNullable().references('id').inTable('datasets');
    t.text('params_json').notNullable();
    t.text('metrics_json').notNullable();
    t.text('model_key').notNullable();
    t.text('pipeline_key').notNullable();
    t.text('workflow_id').notNullable();
    t.text('run_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['model_name', 'version'], { indexName: 'model_versions_model_name_version_unique' });
    // A retried registration activity (same workflow run) finds its version instead of adding one.
    t.unique(['model_name', 'workflow_id', 'run_id'], { indexName: 'model_versions_model_name_run_unique' });
    // At most one production version per model, held by the database itself, not only by promote().
    t.unique(['model_name'], {
      indexName: 'model_versions_one_production',
      predicate: knex.whereRaw("stage = 'production'"),
    });
    t.index(['dataset_id'], 'model_versions_dataset_id_index');
  });

  await knex.schema.createTable('stage_transitions', (t) => {
    t.increments('id').primary();
    t.text('model_name').notNullable();
    t.integer('version').notNullable();
    t.text('from_stage').nullable().checkIn(stages, 'stage_transitions_from_stage_check');
    t.text('to_stage').notNullable().checkIn(stages, 'stage_transitions_to_stage_check');
    t.text('reason').notNullable();
    t.text('actor').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.foreign(['model_name', 'version'], 'stage_transitions_model_version_foreign')
      .references(['model_name', 'version'])
      .inTable('model_versions');
    t.index(['model_name', 'version'], 'stage_transitions_model_version_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('stage_transitions');
  await knex.schema.dropTable('model_versions');
  await knex.schema.dropTable('models');
  await knex.schema.dropTable('datasets');
}
