import assert from 'node:assert/strict';
import path from 'node:path';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { projectRoot } from '../../lib/settings';
import { readCsvTable, toRecords } from '../../models/data/tabular';
import { validateDataset } from '../../models/validation';

// The Kickstarter config excludes what is known only after a campaign; left in, validation stops the run.
describe('Kickstarter config and leakage', () => {
  const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/kickstarter.yaml'));
  const table = readCsvTable(path.join(projectRoot, 'data/kickstarter-2018-sample.csv'));
  const records = toRecords(table.frame);
  const validate = (exclude: string[]) => validateDataset({ records, schema: table.schema, target: config.target, rules: config.validation, exclude });

  it('passes validation as shipped, with the 1970 launch as a warning', () => {
    const report = validate(config.features.exclude);
    assert.equal(report.ok, true);
    assert.ok(report.findings.some((finding) => finding.severity === 'warning' && finding.check === 'date-range' && finding.column === 'launched'));
  });

  it('fails validation naming the pledges when they are left in', () => {
    const report = validate(['ID', 'goal']);
    assert.equal(report.ok, false);
    const errors = report.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.message);
    assert.ok(errors.some((message) => /^usd_pledged_real \/ usd_goal_real: /.test(message)), errors.join('\n'));
    assert.ok(errors.some((message) => /^pledged \/ usd_goal_real: /.test(message)), errors.join('\n'));
  });
});
