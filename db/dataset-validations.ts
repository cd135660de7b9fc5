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
    /**
     * Keeps a report with its dataset version; validating again under the same rules replaces the row with
     * a new one, so the newest id is the latest validation (timestamps can tie within a millisecond).
     */
    async record(validation: DatasetValidationRecord): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('dataset_validations').where({ dataset_id: validation.datasetId, rules_hash: validation.rulesHash }).delete();
        await trx('dataset_validations')
          .insert({
            dataset_id: validation.datasetId,
            rules_hash: validation.rulesHash,
            ok: validation.ok,
            errors: validation.errors,
            warnings: validation.warnings,
            report_key: validation.reportKey,
            validated_at: nowIso(),
          })
          // A retried activity racing its first attempt writes the same report: either row will do.
          .onConflict(['dataset_id', 'rules_hash'])
          .ignore();
      });
    },

    /** A dataset version's validations, latest first. */
    async list(datasetId: string): Promise<DatasetValidation[]> {
      const rows: DatasetValidationRow[] = await db('dataset_validations').where({ dataset_id: datasetId }).orderBy('id', 'desc');
      return rows.map(toValidation);
    },
  };
}

export type DatasetValidations = ReturnType<typeof createDatasetValidations>;
