import type { Knex } from 'knex';

/**
 * Validation reports kept with the dataset version they judged: one row per version and set of rules (a
 * config change re-validates the same data under new rules), errors and warnings counted, the report in
 * the artifact store.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dataset_validations', (t) => {
    t.increments('id').primary();
    t.text('dataset_id').notNullable().references('id').inTable('datasets');
    /** sha256 of the rules, target and exclusions the data was checked against. */
    t.text('rules_hash').notNullable();
    t.boolean('ok').notNullable();
    t.integer('errors').notNullable();
    t.integer('warnings').notNullable();
    t.text('report_key').notNullable();
    t.timestamp('validated_at', { useTz: true }).notNullable();
    t.unique(['dataset_id', 'rules_hash'], { indexName: 'dataset_validations_rules_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dataset_validations');
}
