import type { Knex } from 'knex';

/**
 * The prediction log and feedback labels: what the API answered, and later what really happened, for
 * monitoring. One row per scored record (a batch writes one per item, `item` its position).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('predictions', (t) => {
    t.increments('id').primary();
    t.text('request_id').notNullable();
    t.integer('item').notNullable();
    t.text('model_name').notNullable();
    t.integer('model_version').notNullable();
    t.text('inputs_json').notNullable();
    t.double('probability').notNullable();
    t.text('prediction').notNullable();
    t.double('latency_ms').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['request_id', 'item'], { indexName: 'predictions_request_item_unique' });
    t.index(['model_name', 'created_at'], 'predictions_model_created_index');
  });
  await knex.schema.createTable('feedback', (t) => {
    t.increments('id').primary();
    t.text('request_id').notNullable();
    t.integer('item').notNullable().defaultTo(0);
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['request_id', 'item'], { indexName: 'feedback_request_item_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('feedback');
  await knex.schema.dropTable('predictions');
}
