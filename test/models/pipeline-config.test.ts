import assert from 'node:assert/strict';
import path from 'node:path';
import { InputError } from '../../lib/errors';
import { loadPipelineConfig, parsePipelineConfig } from '../../lib/pipeline-config';
import { projectRoot } from '../../lib/settings';

describe('pipeline config', () => {
  it('loads the demo config and resolves its source next to the config file', () => {
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    assert.equal(config.name, 'telco-churn');
    assert.equal((config.source as { path: string }).path, path.join(projectRoot, 'data/telco-customer-churn.csv'));
    assert.deepEqual(config.target, { column: 'Churn', positive: 'Yes' });
    assert.deepEqual(config.features.exclude, ['customerID']);
  });

  it('names every bad field by its path', () => {
    assert.throws(
      () => parsePipelineConfig({ name: 'Bad Name', source: { type: 'csv' }, target: { column: 'y', positive: 1 }, training: { rounds: 0 } }, 'x.yaml'),
      (error: Error) =>
        error instanceof InputError &&
        /x\.yaml is invalid/.test(error.message) &&
        /name: /.test(error.message) &&
        /source\.path: /.test(error.message) &&
        /training\.rounds: /.test(error.message),
    );
  });

  it('validates the data-quality rules, naming their path', () => {
    assert.throws(
      () => parsePipelineConfig({ name: 'm', source: { type: 'csv', path: 'a.csv' }, target: { column: 'y', positive: 'Yes' }, training: { rounds: 5 }, validation: { maxMissingShare: 2 } }),
      /validation\.maxMissingShare: /,
    );
  });

  it('rejects unknown keys, so a typo is not silently ignored', () => {
    assert.throws(
      () => parsePipelineConfig({ name: 'm', source: { type: 'csv', path: 'a.csv' }, target: { column: 'y', positive: 'Yes' }, training: { rounds: 5, parms: {} } }),
      /training: Unrecognized key/,
    );
  });
});
