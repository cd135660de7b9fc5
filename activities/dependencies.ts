import type { Knex } from 'knex';
import type { ArtifactStore } from '../lib/artifact-store';
import type { Registry } from '../db';

/** What activities need from the outside world; the worker builds it once, tests pass their own. */
export interface ActivityDependencies {
  registry: Registry;
  artifacts: ArtifactStore;
  /** The database itself, for the stores without a registry of their own (tuning studies). */
  db: Knex;
}
