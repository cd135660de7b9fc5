import type { Knex } from 'knex';

/** Copied rather than imported: a migration must not change when app code does. */
const studyStates = ['running', 'complete', 'stopped'];
/** WAITING is an enqueued trial (a warm start's), not yet started. */
const trialStates = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'];

/**
 * Hyper-parameter studies mirrored from the `tuningStudy` workflow, so they can be listed, watched,
 * resumed and warm-started from. JSON columns are text (as in the registry); timestamps are ISO strings.
 * Other parts of Kiln read these tables for lineage: rename no column.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('studies', (t) => {
    t.increments('id').primary();
    t.text('name').notNullable().unique({ indexName: 'studies_name_unique' });
    t.text('model_name').notNullable();
    t.text('workflow_id').notNullable();
    t.text('direction').notNullable().checkIn(['minimize', 'maximize'], 'studies_direction_check');
    t.text('sampler').notNullable();
    t.text('pruner').notNullable();
    t.text('space').notNullable();
    /** Study attributes kept by samplers and pruners, and why the study ended. */
    t.text('attrs').notNullable();
    t.text('state').notNullable().checkIn(studyStates, 'studies_state_check');
    t.integer('best_trial_number').nullable();
    t.double('best_value').nullable();
    /** Incremented by every write of the mirror, so a late retry of an older write cannot undo a newer one. */
    t.integer('revision').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['model_name', 'created_at'], 'studies_model_created_index');
  });

  await knex.schema.createTable('trials', (t) => {
    t.integer('study_id').notNullable().references('id').inTable('studies').onDelete('CASCADE');
    t.integer('number').notNullable();
    t.text('state').notNullable().checkIn(trialStates, 'trials_state_check');
    t.text('params').notNullable();
    t.double('value').nullable();
    /** Step → value; NaN and infinities as strings. */
    t.text('intermediate').notNullable();
    t.text('system_attrs').notNullable();
    t.timestamp('started_at', { useTz: true }).nullable();
    t.timestamp('finished_at', { useTz: true }).nullable();
    t.primary(['study_id', 'number'], 'trials_study_number_unique');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('trials');
  await knex.schema.dropTable('studies');
}
