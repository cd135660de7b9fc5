import type { Knex } from 'knex';
import { connectDatabase, createRegistry, migrateToLatest, type Registry } from '../db';
import { ArtifactStore } from './artifact-store';
import type { KilnSettings } from './settings';

/** The database, registry and artifact store every Kiln process works with. */
export interface KilnResources {
  db: Knex;
  registry: Registry;
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

/** Opens the database named by the settings, brings its schema up to date, and opens the artifact store. */
export async function openResources(settings: Pick<KilnSettings, 'databaseUrl' | 'artifactsDir'>): Promise<KilnResources> {
  const db = connectDatabase(settings.databaseUrl);
  await migrateToLatest(db);
  return {
    db,
    registry: createRegistry(db),
    artifacts: new ArtifactStore(settings.artifactsDir),
    close: () => db.destroy(),
  };
}
