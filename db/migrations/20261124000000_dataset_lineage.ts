import type { Knex } from 'knex';

/**
 * Dataset lineage: the version an incremental ingest added rows to (`parent_id`), how far it read
 * (`watermark_json`: `{ column, value }`), and the artifact key of the dataset's profile, the baseline
 * monitoring compares served traffic with. All nullable: versions registered before stay as they were.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('datasets', (t) => {
    t.text('parent_id').nullable().references('id').inTable('datasets').withKeyName('datasets_parent_id_foreign');
    t.text('watermark_json').nullable();
    t.text('profile_key').nullable();
    // An incremental ingest looks up the latest version of its dataset.
    t.index(['name', 'created_at'], 'datasets_name_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('datasets', (t) => {
    t.dropIndex(['name', 'created_at'], 'datasets_name_created_at_index');
    t.dropForeign(['parent_id'], 'datasets_parent_id_foreign');
    t.dropColumns('parent_id', 'watermark_json', 'profile_key');
  });
}
