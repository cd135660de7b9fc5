import { createDriftReports, createPredictionLog } from '../db';
import { loadScoringModel } from '../lib/artifact-checksum';
import { loadDriftBaseline } from '../lib/drift-baseline';
import { computeDrift } from '../models/monitoring';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { callingWorkflow } from './registry';

export interface CheckDriftInput {
  modelName: string;
  /** How many of the newest logged predictions of the production version are compared. */
  window: number;
  /** A column (or the score) whose PSI reaches this asks for retraining. */
  psiThreshold: number;
  /** Fewer logged predictions than this decide nothing: PSI on a handful of rows is noise. */
  minRows: number;
}

export interface CheckDriftResult {
  status: 'checked' | 'no-production' | 'too-few-rows';
  modelVersion?: number;
  rows: number;
  maxPsi?: number;
  worstColumn?: string;
  retrain: boolean;
  /** The drift_reports row of this check. */
  reportId?: number;
  summary: string;
}

export function createMonitoringActivities(deps: ActivityDependencies) {
  const predictionLog = createPredictionLog(deps.db);
  const driftReports = createDriftReports(deps.db);

  return withFailureMapping({
    /** The production version's latest served inputs and scores against its training data, recorded. */
    async checkDrift({ modelName, window, psiThreshold, minRows }: CheckDriftInput): Promise<CheckDriftResult> {
      const version = await deps.registry.getProductionVersion(modelName);
      if (!version) return { status: 'no-production', rows: 0, retrain: false, summary: `${modelName} has no production version to watch` };
      const rows = await predictionLog.recentInputs(modelName, version.version, window);
      if (rows.length < minRows) {
        return { status: 'too-few-rows', modelVersion: version.version, rows: rows.length, retrain: false, summary: `${rows.length} logged predictions of v${version.version}, fewer than the ${minRows} a check needs` };
      }
      using scoring = loadScoringModel(deps.artifacts, version);
      const baseline = await loadDriftBaseline(deps, version, scoring);
      const report = computeDrift(baseline, rows, { thresholds: { major: psiThreshold, moderate: Math.min(0.1, psiThreshold / 2) } });
      const worst = [...report.columns, report.score].reduce((a, b) => (b.psi > a.psi ? b : a));
      const retrain = worst.psi >= psiThreshold;
      const { workflowId, runId } = callingWorkflow();
      const stored = await driftReports.record({ modelName, modelVersion: version.version, workflowId, runId, report, maxPsi: worst.psi, worstColumn: worst.column, retrain });
      return {
        status: 'checked',
        modelVersion: version.version,
        rows: rows.length,
        maxPsi: worst.psi,
        worstColumn: worst.column,
        retrain,
        reportId: stored.id,
        summary: `v${version.version}, ${rows.length} predictions: largest PSI ${worst.psi.toFixed(3)} on ${worst.column} (${report.level})${retrain ? `, at or above ${psiThreshold}: retrain` : ''}`,
      };
    },
  });
}
