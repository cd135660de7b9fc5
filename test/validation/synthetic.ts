import type { RawRecord } from '../../models/features/raw-values';
import { createRandom } from '../../models/random';
import { parseValidationRules, validateDataset, type Finding, type SchemaColumn, type ValidationReport, type ValidationRulesInput } from '../../models/validation';

/**
 * 200 rows: an id, a noisy numeric feature, a category, a date, and a target `y` (yes ≈ 30%) that
 * no single column predicts well. Tests mutate copies of these rows to plant one problem each.
 */
export function syntheticRows(seed = 1, rows = 200): RawRecord[] {
  const random = createRandom(seed);
  return Array.from({ length: rows }, (_, i) => {
    const positive = random.next() < 0.3;
    return {
      id: `c-${String(i).padStart(4, '0')}`,
      amount: Math.round((random.next() * 100 + (positive ? 10 : 0)) * 100) / 100,
      plan: ['basic', 'plus', 'pro'][random.int(3)]!,
      opened: `20${10 + random.int(10)}-0${1 + random.int(9)}-1${random.int(10)}`,
      y: positive ? 'yes' : 'no',
    };
  });
}

export const syntheticSchema: SchemaColumn[] = [
  { name: 'id', type: 'string' },
  { name: 'amount', type: 'number' },
  { name: 'plan', type: 'string' },
  { name: 'opened', type: 'string' },
  { name: 'y', type: 'string' },
];

export function validate(records: RawRecord[], rules: ValidationRulesInput = {}, schema: SchemaColumn[] = syntheticSchema, exclude?: string[]): ValidationReport {
  return validateDataset({ records, schema, target: { column: 'y', positive: 'yes' }, rules: parseValidationRules({ ignore: ['id'], ...rules }), exclude });
}

/** Findings of one check, minus the info notes every run prints. */
export function found(report: ValidationReport, check: string): Finding[] {
  return report.findings.filter((finding) => finding.check === check && finding.severity !== 'info');
}
