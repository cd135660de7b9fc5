import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createDatasetValidations } from '../../db';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { parseValidationRules } from '../../models/validation';

// The validateDataset activity on the real Kickstarter sample and SQLite, and `kiln datasets` reading what it kept.
describe('validateDataset activity: reports kept with the dataset version', function () {
  this.timeout(120_000);
  let tmp: string;
  let resources: KilnResources;
  let datasetId: string;
  const environment = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;
  const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/kickstarter.yaml'));
  const kiln = async (...args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), ...args], {
      env: { ...process.env, DATABASE_URL: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, KILN_ARTIFACTS: path.join(tmp, 'artifacts') },
      encoding: 'utf8',
    });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-validate-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    ({ datasetId } = await run(createActivities(resources).ingest, { datasetName: config.name, source: config.source }));
  });

  after(async () => {
    await resources.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps a passing report and a failing one (under stricter rules), and the CLI shows both', async () => {
    const activities = createActivities(resources);
    const input = { datasetId, target: config.target, exclude: config.features.exclude, rules: config.validation };
    const passed = await run(activities.validateDataset, input);
    assert.equal(passed.errors, 0);
    // Declaring launch dates after 2000 makes the sample's 1970 launch an error: the run fails for good.
    const strict = parseValidationRules({ ...config.validation, dates: { launched: { min: '2000-01-01' } } });
    await assert.rejects(run(activities.validateDataset, { ...input, rules: strict }), (error: Error) => /failed validation with 1 error/.test(error.message));

    const kept = await createDatasetValidations(resources.db).list(datasetId);
    assert.deepEqual(kept.map((v) => [v.ok, v.errors]), [[false, 1], [true, 0]]);
    assert.equal(kept[1]!.warnings, passed.warnings);
    assert.equal(kept[1]!.reportKey, passed.reportKey);

    const listed = await kiln('datasets', 'list');
    assert.match(listed.stdout, new RegExp(`^${datasetId.replace('@', '@')}\\s+9999\\s+failed \\(1 errors, \\d+ warnings\\)`, 'm'));
    const shown = await kiln('datasets', 'show', datasetId);
    assert.match(shown.stdout, /^dataset kickstarter@[0-9a-f]{12}  rows: 9999/);
    assert.match(shown.stdout, /^launched\s+string\s+0\.0%/m);
    assert.match(shown.stdout, /^validations \(2, latest first\):$/m);
    assert.match(shown.stdout, /validation failed: 1 error/);
    assert.match(shown.stdout, /launched: 1 date outside 2000-01-01 to …, e\.g\. "1970-01-01 01:00:00" \(row 2843\)/);
    const json = JSON.parse((await kiln('datasets', 'show', datasetId, '--json')).stdout);
    assert.equal(json.validations.length, 2);
    assert.equal(json.latestReport.ok, false);
  });

  it('names an unknown dataset version in one line', async () => {
    await assert.rejects(kiln('datasets', 'show', 'kickstarter@000000000000'), (error: Error & { stderr: string }) => /^kiln: dataset "kickstarter@000000000000" is not registered$/m.test(error.stderr));
  });
});
