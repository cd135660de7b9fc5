import type { Knex } from 'knex';
import { ConflictError, InputError, NotFoundError } from '../lib/errors';
import { databaseEngine } from './connect';
import { isUniqueViolation } from './db-errors';
import { readLineage, type ModelLineage } from './lineage';
import { createPipelineRunRegistry, type PipelineRunRegistry } from './pipeline-runs';
import { checkChecksum, checkMetrics, checkName, checkObject, checkText, checkVersion } from './registry-input';
import {
  nowIso,
  toDataset,
  toModelVersion,
  toStageTransition,
  type ArtifactChecksum,
  type Dataset,
  type DatasetRow,
  type ModelSummary,
  type ModelVersion,
  type ModelVersionRow,
  type Stage,
  type StageTransition,
  type StageTransitionRow,
} from './registry-rows';

export interface UpsertDatasetInput {
  name: string;
  /** Hex digest of the snapshot's content; at least 12 characters (the id keeps the first 12). */
  contentHash: string;
  snapshotKey: string;
  rowCount: number;
  schema: unknown;
  source: unknown;
  /** The registered version whose rows this one extends (incremental loading). */
  parentId?: string;
  watermark?: Dataset['watermark'];
  profileKey?: string;
}

export interface UpsertDatasetResult {
  dataset: Dataset;
  /** false when this name and content were already registered (the stored row is returned as is) */
  created: boolean;
}

/** What a version is registered from; (modelName, workflowId, runId) registers at most one version. */
export type RegisterModelVersionInput = Pick<ModelVersion, 'modelName' | 'datasetId' | 'params' | 'metrics' | 'modelKey' | 'pipelineKey' | 'workflowId' | 'runId'> & {
  modelChecksum: ArtifactChecksum;
  pipelineChecksum: ArtifactChecksum;
  codeVersion: string;
};

export interface PromoteInput {
  modelName: string;
  version: number;
  reason: string;
  /** Who asked: `user:<name>`, `workflow:<id>`, `api:<token name>`… */
  actor: string;
}

export interface PromoteResult {
  /** false when the version already was in production (nothing changed, nothing audited) */
  promoted: boolean;
  /** The version archived by this promotion, if there was one. */
  previousProduction?: number;
}

/** The model registry: datasets, pipeline runs, model versions, their stages and the audit log of stage changes. */
export interface Registry extends PipelineRunRegistry {
  upsertDataset(input: UpsertDatasetInput): Promise<UpsertDatasetResult>;
  getDataset(id: string): Promise<Dataset>;
  /** The versions of one dataset (none for an unknown name), or of every dataset without a name; newest first. */
  listDatasets(name?: string): Promise<Dataset[]>;
  registerModelVersion(input: RegisterModelVersionInput): Promise<ModelVersion>;
  getModelVersion(modelName: string, version: number): Promise<ModelVersion>;
  /** Oldest first; NotFoundError for a model never registered. */
  listModelVersions(modelName: string): Promise<ModelVersion[]>;
  /** undefined both for a model without a production version and for a model not registered yet. */
  getProductionVersion(modelName: string): Promise<ModelVersion | undefined>;
  /** Every registered model, by name. */
  listModels(): Promise<ModelSummary[]>;
  /** The audit log of one model, in the order the changes happened; NotFoundError for an unknown model. */
  listStageTransitions(modelName: string): Promise<StageTransition[]>;
  promote(input: PromoteInput): Promise<PromoteResult>;
  rollback(input: RollbackInput): Promise<RollbackResult>;
  /**
   * Moves a version between the stages beside production (candidate, staging, archived), audited and
   * idempotent; production is entered by `promote` and left by a promotion or `rollback` only.
   */
  setStage(input: SetStageInput): Promise<{ changed: boolean; from: Stage }>;
  /** Dataset, run, study, params, metrics, code version and stage history of one version. */
  getLineage(modelName: string, version: number): Promise<ModelLineage>;
  /** Records the artifact key of a version's model card; writing the same key again changes nothing. */
  setModelCard(modelName: string, version: number, cardKey: string): Promise<void>;
}

export interface SetStageInput {
  modelName: string;
  version: number;
  stage: Exclude<Stage, 'production'>;
  reason: string;
  actor: string;
}

export interface RollbackInput {
  modelName: string;
  /**
   * The production version to leave. When production is no longer this version (the rollback already
   * happened), nothing changes: repeating a rollback is safe. Default: the current production version.
   */
  fromVersion?: number;
  reason: string;
  actor: string;
}

export interface RollbackResult {
  rolledBack: boolean;
  /** The production version afterwards. */
  production: number;
}

/** Concurrent registrations are serialised by a lock, so a unique violation is a rare race; retry a few. */
const registrationAttempts = 5;

/**
 * The registry on a migrated knex instance (SQLite or PostgreSQL; see `connectDatabase`). Errors:
 * InputError (bad argument), NotFoundError (unknown dataset, model or version), ConflictError (state
 * changed under us, or a dataset id taken by another content).
 *
 * @example
 *   const registry = createRegistry(db);
 *   const v = await registry.registerModelVersion({ modelName: 'churn', datasetId, params, metrics, modelKey, pipelineKey, workflowId, runId });
 *   await registry.promote({ modelName: 'churn', version: v.version, reason: 'beats production', actor: 'user:ana' });
 */
export function createRegistry(db: Knex): Registry {
  const engine = databaseEngine(db);

  /**
   * Serialises the writers of one model (registration, promotion) for the rest of the transaction.
   * PostgreSQL: a row lock on the model, so the second writer reads the first one's committed result.
   * SQLite: a write as first statement takes the database write lock now, waiting (busy_timeout) for
   * another process's transaction; taken later, the lock upgrade of a transaction that already read
   * would fail with SQLITE_BUSY instead of waiting.
   */
  async function lockModel(trx: Knex.Transaction, name: string): Promise<void> {
    if (engine === 'postgres') await trx('models').where({ name }).forUpdate().select('name');
    else await trx.raw('UPDATE models SET name = name WHERE name = ?', [name]);
  }

  async function requireModel(name: string): Promise<void> {
    checkName('modelName', name);
    const model = await db('models').where({ name }).first('name');
    if (!model) throw new NotFoundError(`model "${name}" is not registered`, { modelName: name });
  }

  const registry: Registry = {
    ...createPipelineRunRegistry(db),

    async upsertDataset(input) {
      checkName('name', input.name);
      checkText('snapshotKey', input.snapshotKey);
      if (typeof input.contentHash !== 'string' || input.contentHash.length < 12) {
        throw new InputError(`contentHash: expected at least 12 characters, got "${input.contentHash}"`, { contentHash: input.contentHash });
      }
      if (!Number.isInteger(input.rowCount) || input.rowCount < 0 || input.rowCount > 2 ** 31 - 1) {
        throw new InputError(`rowCount: expected an integer from 0 to 2^31-1, got ${input.rowCount}`, { rowCount: input.rowCount });
      }
      const row: DatasetRow = {
        id: `${input.name}@${input.contentHash.slice(0, 12)}`,
        name: input.name,
        content_hash: input.contentHash,
        snapshot_key: input.snapshotKey,
        row_count: input.rowCount,
        schema_json: toJson(input.schema),
        source_json: toJson(input.source),
        parent_id: input.parentId ?? null,
        watermark_json: input.watermark ? toJson(input.watermark) : null,
        profile_key: input.profileKey ?? null,
        created_at: nowIso(),
      };
      if (input.parentId !== undefined && !(await db('datasets').where({ id: input.parentId }).first('id'))) {
        throw new NotFoundError(`parentId: dataset "${input.parentId}" is not registered`, { parentId: input.parentId });
      }
      let inserted: unknown[];
      try {
        // Same name and content: keep the first row untouched (its snapshot is the one referenced).
        inserted = await db('datasets').insert(row).onConflict(['name', 'content_hash']).ignore().returning('id');
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new ConflictError(`dataset id "${row.id}" is taken by another content of "${input.name}" sharing the hash prefix`, {
          datasetId: row.id,
          contentHash: input.contentHash,
        });
      }
      const stored: DatasetRow = await db('datasets').where({ name: row.name, content_hash: row.content_hash }).first();
      return { dataset: toDataset(stored), created: inserted.length > 0 };
    },

    async getDataset(id) {
      const row: DatasetRow | undefined = await db('datasets').where({ id }).first();
      if (!row) throw new NotFoundError(`dataset "${id}" is not registered`, { datasetId: id });
      return toDataset(row);
    },

    async listDatasets(name) {
      const rows: DatasetRow[] = await db('datasets').where(name === undefined ? {} : { name }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
      return rows.map(toDataset);
    },

    async registerModelVersion(input) {
      checkName('modelName', input.modelName);
      for (const field of ['datasetId', 'modelKey', 'pipelineKey', 'workflowId', 'runId', 'codeVersion'] as const) checkText(field, input[field]);
      checkObject('params', input.params);
      checkMetrics(input.metrics);
      checkChecksum('modelChecksum', input.modelChecksum);
      checkChecksum('pipelineChecksum', input.pipelineChecksum);
      const { modelName, workflowId, runId } = input;
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (trx) => {
            const now = nowIso();
            await trx('models').insert({ name: modelName, created_at: now }).onConflict('name').ignore();
            await lockModel(trx, modelName);
            // A retried activity: the version this run registered before, unchanged.
            const existing: ModelVersionRow | undefined = await trx('model_versions')
              .where({ model_name: modelName, workflow_id: workflowId, run_id: runId })
              .first();
            if (existing) return toModelVersion(existing);
            const dataset = await trx('datasets').where({ id: input.datasetId }).first('id');
            if (!dataset) throw new NotFoundError(`dataset "${input.datasetId}" is not registered`, { datasetId: input.datasetId });
            const latest = await trx('model_versions').where({ model_name: modelName }).max('version as max').first();
            const row: Omit<ModelVersionRow, 'id'> = {
              model_name: modelName,
              version: Number(latest?.max ?? 0) + 1,
              stage: 'candidate',
              dataset_id: input.datasetId,
              params_json: toJson(input.params),
              metrics_json: toJson(input.metrics),
              model_key: input.modelKey,
              pipeline_key: input.pipelineKey,
              workflow_id: workflowId,
              run_id: runId,
              model_sha256: input.modelChecksum.sha256,
              model_size: input.modelChecksum.size,
              pipeline_sha256: input.pipelineChecksum.sha256,
              pipeline_size: input.pipelineChecksum.size,
              code_version: input.codeVersion,
              card_key: null,
              created_at: now,
            };
            const [created]: ModelVersionRow[] = await trx('model_versions').insert(row).returning('*');
            await audit(trx, { modelName, version: row.version, from: null, to: 'candidate', reason: 'registered', actor: `workflow:${workflowId}`, at: now });
            return toModelVersion(created);
          });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          // Lost a race for the next version number or for this run's row: the next attempt sees the winner.
          if (attempt >= registrationAttempts) {
            throw new ConflictError(`could not register a version of "${modelName}" after ${attempt} attempts: concurrent registrations`, {
              modelName,
              workflowId,
              runId,
            });
          }
        }
      }
    },

    async getModelVersion(modelName, version) {
      checkVersion(version);
      const row: ModelVersionRow | undefined = await db('model_versions').where({ model_name: modelName, version }).first();
      if (!row) throw new NotFoundError(`model "${modelName}" has no version ${version}`, { modelName, version });
      return toModelVersion(row);
    },

    async listModelVersions(modelName) {
      await requireModel(modelName);
      const rows: ModelVersionRow[] = await db('model_versions').where({ model_name: modelName }).orderBy('version');
      return rows.map(toModelVersion);
    },

    async getProductionVersion(modelName) {
      const row: ModelVersionRow | undefined = await db('model_versions').where({ model_name: modelName, stage: 'production' }).first();
      return row ? toModelVersion(row) : undefined;
    },

    async listModels() {
      const rows: Array<{ name: string; latest_version: number | string | null; production_version: number | string | null }> = await db(
        'models as m',
      )
        .leftJoin('model_versions as v', 'v.model_name', 'm.name')
        .groupBy('m.name')
        .orderBy('m.name')
        .select(
          'm.name',
          db.raw('max(v.version) as latest_version'),
          db.raw("max(case when v.stage = 'production' then v.version end) as production_version"),
        );
      return rows.map((r) => ({
        name: r.name,
        latestVersion: Number(r.latest_version ?? 0),
        ...(r.production_version == null ? {} : { productionVersion: Number(r.production_version) }),
      }));
    },

    async listStageTransitions(modelName) {
      await requireModel(modelName);
      const rows: StageTransitionRow[] = await db('stage_transitions').where({ model_name: modelName }).orderBy('id');
      return rows.map(toStageTransition);
    },

    async promote(input) {
      const { modelName, version, reason, actor } = input;
      checkName('modelName', modelName);
      checkVersion(version);
      checkText('reason', reason);
      checkText('actor', actor);
      try {
        return await db.transaction(async (trx) => {
          await lockModel(trx, modelName);
          const target: ModelVersionRow | undefined = await trx('model_versions').where({ model_name: modelName, version }).first();
          if (!target) throw new NotFoundError(`model "${modelName}" has no version ${version}`, { modelName, version });
          // Idempotent: promoting the production version again changes and audits nothing.
          if (target.stage === 'production') return { promoted: false };
          const current: ModelVersionRow | undefined = await trx('model_versions').where({ model_name: modelName, stage: 'production' }).first();
          const at = nowIso();
          if (current) {
            await changeStage(trx, current, 'archived');
            await audit(trx, { modelName, version: current.version, from: 'production', to: 'archived', reason: `replaced by version ${version}: ${reason}`, actor, at });
          }
          await changeStage(trx, target, 'production');
          await audit(trx, { modelName, version, from: target.stage, to: 'production', reason, actor, at });
          return current ? { promoted: true, previousProduction: Number(current.version) } : { promoted: true };
        });
      } catch (error) {
        // The partial unique index refused a second production version: someone wrote past the lock.
        if (!isUniqueViolation(error)) throw error;
        throw new ConflictError(`model "${modelName}" got another production version during the promotion of version ${version}`, { modelName, version });
      }
    },

    async setStage({ modelName, version, stage, reason, actor }) {
      checkName('modelName', modelName);
      checkVersion(version);
      checkText('reason', reason);
      checkText('actor', actor);
      if (!(['candidate', 'staging', 'archived'] as string[]).includes(stage)) {
        throw new InputError(`stage: expected candidate, staging or archived (production is entered by promote), got "${stage}"`, { stage });
      }
      return db.transaction(async (trx) => {
        await lockModel(trx, modelName);
        const target: ModelVersionRow | undefined = await trx('model_versions').where({ model_name: modelName, version }).first();
        if (!target) throw new NotFoundError(`model "${modelName}" has no version ${version}`, { modelName, version });
        if (target.stage === stage) return { changed: false, from: target.stage };
        if (target.stage === 'production') {
          throw new ConflictError(`version ${version} of "${modelName}" is in production: promote another version or roll back first`, { modelName, version });
        }
        await changeStage(trx, target, stage);
        await audit(trx, { modelName, version, from: target.stage, to: stage, reason, actor, at: nowIso() });
        return { changed: true, from: target.stage };
      });
    },

    /** Back to the version production had before the current one, in one audited transaction. */
    async rollback({ modelName, fromVersion, reason, actor }) {
      checkName('modelName', modelName);
      if (fromVersion !== undefined) checkVersion(fromVersion);
      checkText('reason', reason);
      checkText('actor', actor);
      return db.transaction(async (trx) => {
        await lockModel(trx, modelName);
        const current: ModelVersionRow | undefined = await trx('model_versions').where({ model_name: modelName, stage: 'production' }).first();
        if (!current) throw new NotFoundError(`model "${modelName}" has no production version to roll back`, { modelName });
        if (fromVersion !== undefined && Number(current.version) !== fromVersion) return { rolledBack: false, production: Number(current.version) };
        // The version the current one replaced when it was promoted (the audit log says "replaced by version N"),
        // so repeated rollbacks walk back through production's history instead of flipping between two versions.
        const replaced = await trx('stage_transitions')
          .where({ model_name: modelName, from_stage: 'production', to_stage: 'archived' })
          .where('reason', 'like', `replaced by version ${current.version}:%`)
          .orderBy('id', 'desc')
          .first('version');
        if (!replaced) throw new NotFoundError(`model "${modelName}" has no earlier production version to roll back to`, { modelName });
        const previous: ModelVersionRow = await trx('model_versions').where({ model_name: modelName, version: replaced.version }).first();
        const at = nowIso();
        await changeStage(trx, current, 'archived');
        await audit(trx, { modelName, version: Number(current.version), from: 'production', to: 'archived', reason: `rolled back to version ${previous.version}: ${reason}`, actor, at });
        await changeStage(trx, previous, 'production');
        await audit(trx, { modelName, version: Number(previous.version), from: previous.stage, to: 'production', reason: `rollback: ${reason}`, actor, at });
        return { rolledBack: true, production: Number(previous.version) };
      });
    },

    getLineage: (modelName, version) => readLineage(db, registry, modelName, version),

    async setModelCard(modelName, version, cardKey) {
      checkVersion(version);
      checkText('cardKey', cardKey);
      const updated = await db('model_versions').where({ model_name: modelName, version }).update({ card_key: cardKey });
      if (updated !== 1) throw new NotFoundError(`model "${modelName}" has no version ${version}`, { modelName, version });
    },
  };
  return registry;
}

/** Moves a version on only if it still is in the stage we read; otherwise the state changed under us. */
async function changeStage(trx: Knex.Transaction, row: ModelVersionRow, to: Stage): Promise<void> {
  const updated = await trx('model_versions').where({ id: row.id, stage: row.stage }).update({ stage: to });
  if (updated !== 1) {
    throw new ConflictError(`version ${row.version} of "${row.model_name}" is no longer ${row.stage}`, {
      modelName: row.model_name,
      version: Number(row.version),
      expectedStage: row.stage,
    });
  }
}

interface AuditEntry {
  modelName: string;
  version: number;
  from: Stage | null;
  to: Stage;
  reason: string;
  actor: string;
  at: string;
}

async function audit(trx: Knex.Transaction, e: AuditEntry): Promise<void> {
  const row: Omit<StageTransitionRow, 'id'> = {
    model_name: e.modelName,
    version: Number(e.version),
    from_stage: e.from,
    to_stage: e.to,
    reason: e.reason,
    actor: e.actor,
    at: e.at,
  };
  await trx('stage_transitions').insert(row);
}

function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}
