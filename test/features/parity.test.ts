import assert from 'node:assert/strict';
import path from 'node:path';
import pl from 'nodejs-polars';
import { recordSchema } from '../../api/record-schema';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { projectRoot } from '../../lib/settings';
import { readCsvTable, toRecords } from '../../models/data/tabular';
import { fitTrainingFeatures, type FitOptions } from '../../models/features/feature-pipeline';
import type { RawRecord } from '../../models/features/raw-values';
import { ScoringModel } from '../../models/scoring-model';
import { stratifiedSplit } from '../../models/split';
import { Booster, DMatrix, train } from '../../models/xgboost';

/**
 * Training and serving agree: raw records as a client sends them (every CSV cell as JSON text, parsed
 * by the API's record schema) give the features and probabilities the training run computed from the
 * typed snapshot.
 */
function checkParity(configFile: string, features: FitOptions) {
  const config = loadPipelineConfig(path.join(projectRoot, configFile));
  const file = path.join(projectRoot, 'data', path.basename((config as { source: { path: string } }).source.path));
  const { column, positive, keep } = config.target;
  const kept = (record: RawRecord) => !keep || keep.includes(String(record[column]));
  const table = readCsvTable(file);
  const records = toRecords(table.frame).filter(kept);
  // What a client posts: the CSV's text, blanks as null.
  const raw = (pl.readCSV(file, { inferSchemaLength: 0 }).toRecords() as RawRecord[])
    .filter(kept)
    .map((record) => JSON.parse(JSON.stringify(record, (_, value) => (typeof value === 'string' && value.trim() === '' ? null : value))) as RawRecord);
  assert.equal(raw.length, records.length);
  const labels = Float32Array.from(records, (record) => (String(record[column]) === positive ? 1 : 0));
  const { train: trainRows, test } = stratifiedSplit(labels, { testFraction: 0.2, seed: 42 });
  const inputs = table.schema
    .filter(({ name }) => name !== column && !config.features.exclude.includes(name))
    .map(({ name, type }) => ({ name, kind: type === 'number' ? ('numeric' as const) : ('categorical' as const) }));
  const fitted = fitTrainingFeatures(trainRows.map((row) => records[row]!), inputs, { column, positive, negative: 'no' }, features);
  const { pipeline, matrix } = fitted;
  const cols = pipeline.featureCount;

  // Training rows: the booster's matrix is the pipeline's transform, but for out-of-fold target encodings.
  const outOfFold = new Set(pipeline.state.featureNames.flatMap((name, i) => (name.endsWith('_target_rate') ? [i] : [])));
  const transformed = pipeline.transform(trainRows.map((row) => records[row]!));
  for (let i = 0; i < trainRows.length * cols; i++) {
    if (!outOfFold.has(i % cols)) assert.ok(Object.is(matrix.data[i], transformed[i]), `training row ${Math.floor(i / cols)}, feature ${pipeline.state.featureNames[i % cols]}`);
  }

  // Holdout rows through the API's schema and the serving path, against the training side.
  const schema = recordSchema(pipeline.inputs);
  const served = test.map((row) => schema.parse(raw[row]) as RawRecord);
  const expected = pipeline.transform(test.map((row) => records[row]!));
  const single = new Float32Array(cols);
  served.forEach((record, i) => {
    pipeline.transformInto(record, single);
    for (let c = 0; c < cols; c++) {
      const [a, b] = [single[c]!, expected[i * cols + c]!];
      assert.ok(Object.is(a, b) || Math.abs(a - b) <= 1e-6, `holdout row ${test[i]}, ${pipeline.state.featureNames[c]}: served ${a}, trained ${b}`);
    }
  });

  using dtrain = DMatrix.fromDense(matrix.data, matrix.rows, cols, { labels: matrix.labels });
  const booster = train({ params: { objective: 'binary:logistic', tree_method: 'hist', max_depth: 3, nthread: 1, seed: 1 }, dtrain, rounds: 20 }).booster;
  const trainedProbabilities = booster.inplacePredict(expected, test.length, cols);
  using model = ScoringModel.fromBytes(booster.save('json'), JSON.parse(JSON.stringify(fitted.state)));
  booster.dispose();
  const servedProbabilities = model.predict(served);
  servedProbabilities.forEach((p, i) => assert.ok(Math.abs(p - trainedProbabilities[i]!) <= 1e-6, `holdout row ${test[i]}: ${p} vs ${trainedProbabilities[i]}`));
  return { features: cols, holdout: test.length };
}

describe('serving transform equals training transform', function () {
  this.timeout(60_000);

  it('Kickstarter with its config: dates, text, one-hot, target encoding', () => {
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/kickstarter.yaml'));
    const { features, holdout } = checkParity('data/pipelines/kickstarter.yaml', config.features);
    assert.equal(holdout, Math.round(3564 * 0.2) + Math.round(5204 * 0.2));
    assert.equal(features, 58);
  });

  it('Telco with imputation, clipping, a ratio, frequency encoding and SMOTE', () => {
    checkParity('data/pipelines/telco-churn.yaml', {
      steps: [
        { type: 'impute', column: 'TotalCharges' },
        { type: 'ratio', numerator: 'TotalCharges', denominator: 'tenure', as: 'charges_per_month' },
        { type: 'clip', columns: ['MonthlyCharges', 'charges_per_month'] },
        { type: 'frequency', column: 'PaymentMethod' },
        { type: 'target_encode', column: 'Contract' },
      ],
      imbalance: 'smote',
    });
  });
});
