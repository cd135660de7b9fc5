import assert from 'node:assert/strict';
import { formatReport, type ValidationReport } from '../../models/validation';

describe('formatReport', () => {
  it('prints a summary and one aligned line per finding', () => {
    const report: ValidationReport = {
      ok: false,
      rows: 7043,
      findings: [
        { severity: 'error', check: 'leakage', column: 'churn_copy', message: 'churn_copy: alone predicts Churn with ROC-AUC 1.000' },
        { severity: 'warning', check: 'duplicate-rows', message: '22 of 7043 rows repeat an earlier row\n(rows 965)', rows: [965] },
        { severity: 'info', check: 'missing-share', column: 'a_column_name_longer_than_the_limit', message: 'x' },
      ],
    };
    assert.equal(
      formatReport(report),
      [
        'validation failed: 1 error, 1 warning, 1 info over 7043 rows',
        'SEVERITY  CHECK           COLUMN                        MESSAGE',
        'error     leakage         churn_copy                    churn_copy: alone predicts Churn with ROC-AUC 1.000',
        'warning   duplicate-rows  -                             22 of 7043 rows repeat an earlier row (rows 965)',
        'info      missing-share   a_column_name_longer_than_t…  x',
      ].join('\n'),
    );
  });

  it('prints only the summary when there is nothing to say', () => {
    assert.equal(formatReport({ ok: true, rows: 3, findings: [] }), 'validation passed: 0 errors, 0 warnings, 0 info over 3 rows');
  });
});
