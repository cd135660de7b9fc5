import type { Knex } from 'knex';
import { InputError, NotFoundError } from '../lib/errors';
import { constraintViolation } from './db-errors';
import { checkName, checkObject, checkText, checkVersion } from './registry-input';
import { nowIso, toIso, type DbTimestamp } from './registry-rows';

export const runStatuses = ['running', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** How a run ended: a completed run promoted its version or kept production; the others say why they ended. */
export const runOutcomes = ['promoted', 'kept-production', 'failed', 'cancelled'] as const;
export type RunOutcome = (typeof runOutcomes)[number];

const statusOf: Record<RunOutcome, Exclude<RunStatus, 'running'>> = {
  promoted: 'completed',
  'kept-production': 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** One run of the training pipeline, as its workflow recorded it. */
export interface PipelineRun {
  id: number;
  modelName: string;
  workflowId: string;
  runId: string;
  status: RunStatus;
  /** null while running */
  outcome: RunOutcome | null;
  /** null until known (a run failing before ingest has none) */
  datasetId: string | null;
  /** The version the run registered, if it got that far. */
  modelVersion: number | null;
  /** The pipeline config the run was started with (less its validation rules, kept in the report). */
  config: Record<string, unknown>;
  /** ISO 8601, UTC */
  startedAt: string;
  finishedAt: string | null;
  /** Why a failed run failed. */
  error: string | null;
}

export type StartRunInput = Pick<PipelineRun, 'modelName' | 'workflowId' | 'runId' | 'config'>;

export interface FinishRunInput {
  workflowId: string;
  runId: string;
  outcome: RunOutcome;
  datasetId?: string;
  modelVersion?: number;
  error?: string;
}

export interface ListRunsOptions {
  modelName?: string;
  /** Default 20, at most 1000. */
  limit?: number;
}

/** Pipeline runs, keyed by (workflow id, run id) so a retried activity writes nothing twice. */
export interface PipelineRunRegistry {
  /** Records a run as running; a second call for the same run returns the row written first. */
  startRun(input: StartRunInput): Promise<PipelineRun>;
  /** Records how a running run ended; a run already finished is returned unchanged (a retry). NotFoundError for a run never started. */
  finishRun(input: FinishRunInput): Promise<PipelineRun>;
  getRun(workflowId: string, runId: string): Promise<PipelineRun>;
  /** Newest first. */
  listRuns(options?: ListRunsOptions): Promise<PipelineRun[]>;
}

interface PipelineRunRow {
  id: number;
  model_name: string;
  workflow_id: string;
  run_id: string;
  status: RunStatus;
  outcome: RunOutcome | null;
  dataset_id: string | null;
  model_version: number | null;
  config_json: string;
  started_at: DbTimestamp;
  finished_at: DbTimestamp | null;
  error: string | null;
}

function toPipelineRun(row: PipelineRunRow): PipelineRun {
  return {
    id: Number(row.id),
    modelName: row.model_name,
    workflowId: row.workflow_id,
    runId: row.run_id,
    status: row.status,
    outcome: row.outcome,
    datasetId: row.dataset_id,
    modelVersion: row.model_version === null ? null : Number(row.model_version),
    config: JSON.parse(row.config_json),
    startedAt: toIso(row.started_at),
    finishedAt: row.finished_at === null ? null : toIso(row.finished_at),
    error: row.error,
  };
}

/** Longest error message kept: a validation report's table can be long, and the report has it all. */
const maxErrorLength = 4000;

export function createPipelineRunRegistry(db: Knex): PipelineRunRegistry {
  const read = async (workflowId: string, runId: string): Promise<PipelineRunRow | undefined> =>
    db('pipeline_runs').where({ workflow_id: workflowId, run_id: runId }).first();

  return {
    async startRun({ modelName, workflowId, runId, config }) {
      checkName('modelName', modelName);
      checkText('workflowId', workflowId);
      checkText('runId', runId);
      checkObject('config', config);
      const row: Omit<PipelineRunRow, 'id'> = {
        model_name: modelName,
        workflow_id: workflowId,
        run_id: runId,
        status: 'running',
        outcome: null,
        dataset_id: null,
        model_version: null,
        config_json: JSON.stringify(config),
        started_at: nowIso(),
        finished_at: null,
        error: null,
      };
      await db('pipeline_runs').insert(row).onConflict(['workflow_id', 'run_id']).ignore();
      return toPipelineRun((await read(workflowId, runId))!);
    },

    async finishRun({ workflowId, runId, outcome, datasetId, modelVersion, error }) {
      if (!runOutcomes.includes(outcome)) throw new InputError(`outcome: expected one of ${runOutcomes.join(', ')}, got "${outcome}"`, { outcome });
      if (modelVersion !== undefined) checkVersion(modelVersion);
      const update = {
        status: statusOf[outcome],
        outcome,
        finished_at: nowIso(),
        ...(datasetId === undefined ? {} : { dataset_id: datasetId }),
        ...(modelVersion === undefined ? {} : { model_version: modelVersion }),
        ...(error === undefined ? {} : { error: error.slice(0, maxErrorLength) }),
      };
      try {
        // Only a running run changes: a retry after a committed finish leaves the first one's record.
        await db('pipeline_runs').where({ workflow_id: workflowId, run_id: runId, status: 'running' }).update(update);
      } catch (cause) {
        if (constraintViolation(cause) !== 'foreign-key') throw cause;
        throw new NotFoundError(`dataset "${datasetId}" is not registered`, { datasetId });
      }
      const row = await read(workflowId, runId);
      if (!row) throw new NotFoundError(`no pipeline run ${workflowId} / ${runId} was recorded`, { workflowId, runId });
      return toPipelineRun(row);
    },

    async getRun(workflowId, runId) {
      const row = await read(workflowId, runId);
      if (!row) throw new NotFoundError(`no pipeline run ${workflowId} / ${runId} was recorded`, { workflowId, runId });
      return toPipelineRun(row);
    },

    async listRuns({ modelName, limit = 20 } = {}) {
      if (modelName !== undefined) checkName('modelName', modelName);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InputError(`limit: expected a whole number from 1 to 1000, got ${limit}`, { limit });
      const query = db('pipeline_runs').orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
      if (modelName !== undefined) query.where({ model_name: modelName });
      const rows: PipelineRunRow[] = await query;
      return rows.map(toPipelineRun);
    },
  };
}
