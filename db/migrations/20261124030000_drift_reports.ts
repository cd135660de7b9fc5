import type { Knex } from 'knex';

/** Drift checks of served models: what monitoring saw, and whether it asked for retraining. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('drift_reports', (t) => {
    t.increments('id').primary();
    t.text('model_name').notNullable();
    t.integer('model_version').notNullable();
    /** The workflow run that made the check: a retried activity finds its report instead of adding one. */
    t.text('workflow_id').notNullable();
    t.text('run_id').notNullable();
    t.integer('rows').notNullable();
    t.text('level').notNullable();
    t.double('max_psi').notNullable();
    t.text('worst_column').nullable();
    t.boolean('retrain').notNullable();
    t.text('report_json').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['workflow_id', 'run_id'], { indexName: 'drift_reports_run_unique' });
    t.index(['model_name', 'created_at'], 'drift_reports_model_created_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('drift_reports');
}
