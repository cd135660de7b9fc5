import crypto from 'node:crypto';
import { createDatasetValidations } from '../db';
import { canonicalJson } from '../lib/canonical-json';
import { InputError } from '../lib/errors';
import { formatReport, validateDataset, type ValidationRules } from '../models/validation';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { loadDataset, type TargetSpec } from './labelled-data';

export interface ValidateInput {
  datasetId: string;
  target: TargetSpec;
  exclude: string[];
  rules: ValidationRules;
}

export interface ValidateResult {
  /** Artifact with the full report (findings and the dataset's profile). */
  reportKey: string;
  errors: number;
  warnings: number;
  /** The findings as a readable table, shown in the Web UI's activity result. */
  table: string;
}

export function createValidationActivities(deps: ActivityDependencies) {
  const validations = createDatasetValidations(deps.db);
  return withFailureMapping({
    /**
     * Checks the declared schema and data quality. Any error fails the run for good, carrying the report,
     * so nothing downstream runs. Either way the report is kept with the dataset version (`kiln datasets show`).
     */
    async validateDataset({ datasetId, target, exclude, rules }: ValidateInput): Promise<ValidateResult> {
      const { records, columns } = await loadDataset(deps, datasetId);
      const report = validateDataset({ records, schema: columns, target, rules, exclude, profile: true });
      const reportKey = deps.artifacts.putJson(report);
      const count = (severity: string) => report.findings.filter((finding) => finding.severity === severity).length;
      const rulesHash = crypto.createHash('sha256').update(canonicalJson({ target, exclude: [...exclude].sort(), rules })).digest('hex');
      await validations.record({ datasetId, rulesHash, ok: report.ok, errors: count('error'), warnings: count('warning'), reportKey });
      const table = formatReport(report);
      if (!report.ok) {
        throw new InputError(`dataset ${datasetId} failed validation with ${count('error')} error(s):\n${table}`, {
          reportKey,
          findings: report.findings.filter((finding) => finding.severity === 'error'),
        });
      }
      return { reportKey, errors: 0, warnings: count('warning'), table };
    },
  });
}
