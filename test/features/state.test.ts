import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../lib/errors';
import { FeaturePipeline, type FeaturePipelineStateV1 } from '../../models/features/feature-pipeline';
import type { RawRecord } from '../../models/features/raw-values';
import { fit } from './helpers';

const v1 = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/v1-telco-pipeline.json'), 'utf8')) as {
  state: FeaturePipelineStateV1;
  records: RawRecord[];
  matrix: Array<number | null>;
};

describe('feature pipeline state', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    amount: i % 7 === 0 ? null : i * 3.5,
    kind: ['x', 'y', 'z', null][i % 4]!,
    city: `c${i % 9}`,
    opened: `2020-0${1 + (i % 9)}-1${i % 10} 0${i % 10}:30:00`,
    note: i % 5 ? `note number ${i}` : null,
    y: i % 3 === 0 ? 1 : 0,
  }));
  const inputs = [
    { name: 'amount', kind: 'numeric' as const },
    { name: 'kind', kind: 'categorical' as const },
    { name: 'city', kind: 'categorical' as const },
    { name: 'opened', kind: 'categorical' as const },
    { name: 'note', kind: 'categorical' as const },
  ];
  const options = {
    steps: [
      { type: 'impute' as const, column: 'amount' },
      { type: 'clip' as const, column: 'amount' },
      { type: 'log1p' as const, column: 'amount' },
      { type: 'date_parts' as const, column: 'opened' },
      { type: 'text_stats' as const, column: 'note' },
      { type: 'frequency' as const, column: 'kind' },
      { type: 'target_encode' as const, column: 'city', folds: 3 },
    ],
  };

  it('round-trips through JSON to a pipeline with identical transforms', () => {
    const fitted = fit(rows, inputs, options);
    const restored = new FeaturePipeline(JSON.parse(JSON.stringify(fitted.state)));
    const unseen = [{ amount: 1e9, kind: 'new', city: 'elsewhere', opened: '2031-12-31', note: '' }, { amount: null, kind: null, city: null, opened: null, note: null }];
    for (const records of [rows, unseen]) assert.deepEqual(Array.from(restored.transform(records)), Array.from(fitted.pipeline.transform(records)));
    assert.deepEqual(restored.state, fitted.state);
    assert.deepEqual(restored.featureSources, fitted.pipeline.featureSources);
  });

  it('reads version-1 states (as registered models hold them) and transforms as the v1 code did', () => {
    const pipeline = new FeaturePipeline(v1.state);
    assert.equal(v1.state.version, 1);
    assert.deepEqual(pipeline.state.featureNames, v1.state.featureNames);
    assert.deepEqual(pipeline.inputs, v1.state.columns.map(({ name, kind }) => ({ name, kind })));
    assert.deepEqual(Array.from(pipeline.transform(v1.records), (x) => (Number.isNaN(x) ? null : x)), v1.matrix);
  });

  it('refuses a state of an unknown format or version', () => {
    assert.throws(() => new FeaturePipeline({ ...v1.state, version: 3 } as unknown as FeaturePipelineStateV1), (error: Error) => error instanceof InputError && /unsupported format kiln.feature-pipeline v3/.test(error.message));
  });
});
