import type { Knex } from 'knex';
import { nowIso, toIso, type DbTimestamp } from './registry-rows';

export interface DatasetValidationRecord {
  datasetId: string;
  /** Identifies the rules, target and exclusions applied: the same ones on the same data replace the earlier row. */
  rulesHash: string;
  ok: boolean;
  errors: number;
  warnings: number;
  /** Artifact key of the full report (findings and profile). */
  reportKey: string;
}

export interface DatasetValidation extends DatasetValidationRecord {
  /** ISO 8601, UTC: the latest validation under these rules. */
  validatedAt: string;
}

interface DatasetValidationRow {
  dataset_id: string;
  rules_hash: string;
  ok: boolean | number;
  errors: number;
  warnings: number;
  report_key: string;
  validated_at: DbTimestamp;
}

const toValidation = (row: DatasetValidationRow): DatasetValidation => ({
  datasetId: row.dataset_id,
  rulesHash: row.rules_hash,
  ok: Boolean(row.ok),
  errors: row.errors,
  warnings: row.warnings,
  reportKey: row.report_key,
  validatedAt: toIso(row.validated_at),
});

export function createDatasetValidations(db: Knex) {
  return {
    /** Keeps a report with its dataset version; validating again under the same rules replaces it (a retry writes the same). */
    async record(validation: DatasetValidationRecord): Promise<void> {
      await db('dataset_validations')
        .insert({
          dataset_id: validation.datasetId,
          rules_hash: validation.rulesHash,
          ok: validation.ok,
          errors: validation.errors,
          warnings: validation.warnings,
          report_key: validation.reportKey,
          validated_at: nowIso(),
        })
        .onConflict(['dataset_id', 'rules_hash'])
        .merge();
    },

    /** A dataset version's validations, latest first. */
    async list(datasetId: string): Promise<DatasetValidation[]> {
      const rows: DatasetValidationRow[] = await db('dataset_validations').where({ dataset_id: datasetId }).orderBy([{ column: 'validated_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
      return rows.map(toValidation);
    },
  };
}

export type DatasetValidations = ReturnType<typeof createDatasetValidations>;
