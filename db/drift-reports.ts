import type { Knex } from 'knex';
import type { DriftLevel, DriftReport } from '../models/monitoring';

export interface DriftCheckRecord {
  modelName: string;
  modelVersion: number;
  workflowId: string;
  runId: string;
  report: DriftReport;
  maxPsi: number;
  worstColumn: string | null;
  retrain: boolean;
}

export interface StoredDriftCheck extends Omit<DriftCheckRecord, 'report'> {
  id: number;
  rows: number;
  level: DriftLevel;
  createdAt: string;
}

interface DriftReportRow {
  id: number;
  model_name: string;
  model_version: number;
  workflow_id: string;
  run_id: string;
  rows: number;
  level: DriftLevel;
  max_psi: number | string;
  worst_column: string | null;
  retrain: boolean | number;
  created_at: string | Date;
}

const toStored = (row: DriftReportRow): StoredDriftCheck => ({
  id: row.id,
  modelName: row.model_name,
  modelVersion: row.model_version,
  workflowId: row.workflow_id,
  runId: row.run_id,
  rows: row.rows,
  level: row.level,
  maxPsi: Number(row.max_psi),
  worstColumn: row.worst_column,
  retrain: Boolean(row.retrain),
  createdAt: new Date(row.created_at).toISOString(),
});

export function createDriftReports(db: Knex) {
  return {
    /** Records one check; the same workflow run recording again (a retried activity) keeps the first. */
    async record(check: DriftCheckRecord): Promise<StoredDriftCheck> {
      await db('drift_reports')
        .insert({
          model_name: check.modelName,
          model_version: check.modelVersion,
          workflow_id: check.workflowId,
          run_id: check.runId,
          rows: check.report.rows,
          level: check.report.level,
          max_psi: check.maxPsi,
          worst_column: check.worstColumn,
          retrain: check.retrain,
          report_json: JSON.stringify(check.report),
          created_at: new Date().toISOString(),
        })
        .onConflict(['workflow_id', 'run_id'])
        .ignore();
      return toStored(await db('drift_reports').where({ workflow_id: check.workflowId, run_id: check.runId }).first());
    },

    /** A model's checks, newest first. */
    async list(modelName: string, limit = 20): Promise<StoredDriftCheck[]> {
      const rows: DriftReportRow[] = await db('drift_reports').where({ model_name: modelName }).orderBy('id', 'desc').limit(limit);
      return rows.map(toStored);
    },

    async report(id: number): Promise<DriftReport> {
      const row = await db('drift_reports').where({ id }).first('report_json');
      return JSON.parse(row.report_json) as DriftReport;
    },
  };
}

export type DriftReports = ReturnType<typeof createDriftReports>;
