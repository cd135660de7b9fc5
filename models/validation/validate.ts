import type { RawRecord } from '../features/raw-values';
import { columnView, type ColumnView, type SchemaColumn } from './columns';
import { checkDeclaredColumns } from './declared';
import type { Finding, Severity } from './findings';
import { checkLeakage, type LeakageFeature } from './leakage';
import { profileDataset, type DatasetProfile } from './profile';
import { checkConstantColumns, checkDuplicateRows, checkMissingShares } from './quality';
import type { ValidationRules } from './rules';
import { checkTarget, type TargetSpec } from './target';

export interface ValidateDatasetInput {
  /** Rows as `toRecords(readCsvTable(…).frame)` gives them: numbers, text, null for missing. */
  records: readonly RawRecord[];
  schema: readonly SchemaColumn[];
  target: TargetSpec;
  rules: ValidationRules;
  /** Columns the model will not use (the config's `features.exclude`): left out of duplicate rows, leakage, missing-share and constant checks. */
  exclude?: readonly string[];
  /** Also profile the dataset into `report.profile`. Default false. */
  profile?: boolean;
}

export interface ValidationReport {
  /** No finding is an error. */
  ok: boolean;
  rows: number;
  /** Errors first, then warnings, then info. */
  findings: Finding[];
  profile?: DatasetProfile;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Checks a dataset against its declared schema and the quality rules. Pure: no I/O; errors are
 * findings, not exceptions, so the caller gets the whole report at once.
 *
 * Columns declared in `rules.columns` / `rules.dates` are checked whatever `ignore` and `exclude` say;
 * the automatic checks (missing share, constant columns, duplicate rows, leakage) skip the ignored
 * and excluded columns, and all but duplicate rows skip the target, which has checks of its own.
 *
 * @example
 * const table = readCsvTable('data/telco-customer-churn.csv');
 * const report = validateDataset({
 *   records: toRecords(table.frame), schema: table.schema,
 *   target: { column: 'Churn', positive: 'Yes' }, rules: parseValidationRules({ ignore: ['customerID'] }),
 * });
 * report.ok; // true: 22 duplicate rows are a warning
 */
export function validateDataset(input: ValidateDatasetInput): ValidationReport {
  const { records, schema, target, rules } = input;
  const rows = records.length;
  const views = new Map<string, ColumnView>(schema.map((column) => [column.name, columnView(records, column)]));
  const skipped = new Set([...rules.ignore, ...(input.exclude ?? [])]);
  const findings: Finding[] = [];

  for (const name of [...skipped].sort()) {
    if (!views.has(name)) findings.push({ severity: 'warning', check: 'schema.column', column: name, message: `${name}: ignored or excluded, but not in the data (a typo?)` });
  }
  findings.push(...checkDeclaredColumns(views, rules, rows));

  const compared = [...views.values()].filter((view) => !skipped.has(view.name));
  const features = compared.filter((view) => view.name !== target.column);
  findings.push(...checkMissingShares(features, rules, rows));
  findings.push(...checkConstantColumns(features, rules));
  findings.push(...checkDuplicateRows(compared, rules, rows, [...skipped].filter((name) => views.has(name))));

  const targetResult = checkTarget(views.get(target.column), target, rules, rows);
  findings.push(...targetResult.findings);
  if (targetResult.labels && targetResult.usable) {
    const leakageFeatures: LeakageFeature[] = features.map((view) => ({
      view,
      kind: rules.dates[view.name] || rules.columns[view.name]?.type === 'date' ? 'date' : view.type === 'number' ? 'number' : 'category',
    }));
    findings.push(...checkLeakage(leakageFeatures, targetResult.labels, target.column, rules));
  }

  // Stable sort: within a severity, findings keep the order the checks ran in.
  findings.sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
  const report: ValidationReport = { ok: !findings.some((finding) => finding.severity === 'error'), rows, findings };
  if (input.profile) report.profile = profileDataset(records, schema);
  return report;
}
