import type { ValidationReport } from './validate';

const MAX_COLUMN_WIDTH = 28;

/**
 * The report as a fixed-width table for the CLI and the activity result: a summary line, then one line
 * per finding (severity, check, column, message).
 *
 * @example
 * formatReport(report)
 * // validation failed: 1 error, 1 warning, 0 info over 7043 rows
 * // SEVERITY  CHECK           COLUMN      MESSAGE
 * // error     leakage         churn_copy  churn_copy: alone predicts Churn with ROC-AUC 1.000 …
 */
export function formatReport(report: ValidationReport): string {
  const count = (severity: string) => report.findings.filter((finding) => finding.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const summary = `validation ${report.ok ? 'passed' : 'failed'}: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, ${count('info')} info over ${report.rows} rows`;
  if (report.findings.length === 0) return summary;
  const table = [
    ['SEVERITY', 'CHECK', 'COLUMN', 'MESSAGE'],
    ...report.findings.map((finding) => [finding.severity, finding.check, shorten(finding.column ?? '-'), oneLine(finding.message)]),
  ];
  const widths = [0, 1, 2].map((k) => Math.max(...table.map((row) => row[k]!.length)));
  const lines = table.map((row) => row.map((cell, k) => (k < 3 ? cell.padEnd(widths[k]!) : cell)).join('  ').trimEnd());
  return [summary, ...lines].join('\n');
}

function shorten(text: string): string {
  return text.length > MAX_COLUMN_WIDTH ? `${text.slice(0, MAX_COLUMN_WIDTH - 1)}…` : text;
}

/** A message holding a newline (from a quoted cell) would break the table. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
