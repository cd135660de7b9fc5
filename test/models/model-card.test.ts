import assert from 'node:assert/strict';
import type { BinaryMetrics } from '../../models/metrics';
import { renderModelCard, TOP_FEATURES, type ModelCardInput } from '../../models/model-card';

const metrics = (roc: number): BinaryMetrics => ({ roc_auc: roc, pr_auc: 0.6, log_loss: 0.45, accuracy: 0.8, f1: 0.55, precision: 0.65, recall: 0.48 });

function cardInput(overrides: Partial<ModelCardInput> = {}): ModelCardInput {
  return {
    modelName: 'churn',
    version: 3,
    createdAt: '2026-11-23T10:00:00.000Z',
    description: 'Who will leave.',
    target: { column: 'Churn', positive: 'Yes' },
    threshold: 0.35,
    data: {
      datasetId: 'churn@0123456789ab',
      rows: 5000,
      trainRows: 4000,
      testRows: 1000,
      positives: 1500,
      inputColumns: ['plan', 'tenure'],
      profile: {
        rows: 5000,
        columns: [
          { name: 'id', type: 'string', rows: 5000, missing: 0, missingShare: 0, distinct: 5000, top: [{ value: 'a', count: 1, share: 0.0002 }], otherShare: 0.9998 },
          { name: 'plan', type: 'string', rows: 5000, missing: 50, missingShare: 0.01, distinct: 2, top: [{ value: 'gold|plus', count: 3000, share: 0.606 }], otherShare: 0 },
          { name: 'tenure', type: 'number', rows: 5000, missing: 0, missingShare: 0, mean: 31.5, quantiles: [{ p: 0, value: 0 }, { p: 1, value: 72 }], histogram: { edges: [0, 72], counts: [5000] } },
          { name: 'Churn', type: 'string', rows: 5000, missing: 0, missingShare: 0, distinct: 2, top: [{ value: 'No', count: 3500, share: 0.7 }], otherShare: 0 },
        ],
      },
    },
    metrics: metrics(0.84),
    intervals: { roc_auc: [0.82, 0.86], pr_auc: [0.55, 0.65] },
    baselines: { majority_class: metrics(0.5), logistic_regression: metrics(0.83) },
    production: { version: 2, metrics: metrics(0.83) },
    features: [{ column: 'plan', meanAbsShap: 0.61 }, { column: 'tenure', meanAbsShap: 0.2 }],
    shapRows: 1000,
    warnings: ['12 rows repeat an earlier row'],
    lineage: { workflowId: 'train-churn', runId: 'run-7', codeVersion: 'abc123', params: { max_depth: 4, eta: 0.1 }, study: { name: 'churn/run-7', bestTrialNumber: 5, bestValue: 0.851 } },
    ...overrides,
  };
}

describe('model card', () => {
  it('has every section, in order, from the inputs alone', () => {
    const card = renderModelCard(cardInput());
    const headings = [...card.matchAll(/^#+ .*$/gm)].map((m) => m[0]);
    assert.deepEqual(headings, ['# churn, version 3', '## Intended use', '## Data', '## Metrics', '## Top features', '## Limitations', '## Lineage']);
    assert.equal(renderModelCard(cardInput()), card, 'the same input gives the same text');
    assert.match(card, /Who will leave\./);
    assert.match(card, /predicts `Yes` at a probability of 0\.3500 or more/);
    assert.match(card, /5000 rows, 4000 for training and 1000 held out/);
    assert.match(card, /Class balance: 1500 `Yes` \(30\.0%\), 3500 other \(70\.0%\)/);
  });

  it('profiles each column with its role, escaping a | in a value', () => {
    const card = renderModelCard(cardInput());
    assert.match(card, /^\| id \| string \| not used \| 0\.0% \| every value distinct \|$/m);
    assert.match(card, /^\| plan \| string \| input \| 1\.0% \| 2 distinct, most often "gold\\\|plus" \(60\.6%\) \|$/m);
    assert.match(card, /^\| tenure \| number \| input \| 0\.0% \| mean 31\.50, range 0–72 \|$/m);
    assert.match(card, /^\| Churn \| string \| target \|/m);
  });

  it('puts the metrics beside their intervals, production and the baselines', () => {
    const card = renderModelCard(cardInput());
    assert.match(card, /^\| metric \| this version \| 95% CI \| production \(v2\) \| logistic regression \| majority class \|$/m);
    assert.match(card, /^\| roc_auc \| 0\.8400 \| 0\.8200–0\.8600 \| 0\.8300 \| 0\.8300 \| 0\.5000 \|$/m);
    assert.match(card, /^\| log_loss \| 0\.4500 \|  \| 0\.4500 \|/m);
    const first = renderModelCard(cardInput({ production: undefined }));
    assert.doesNotMatch(first, /production \(v/);
  });

  it(`ranks at most ${TOP_FEATURES} input columns by mean |SHAP|`, () => {
    const features = Array.from({ length: 15 }, (_, i) => ({ column: `c${i}`, meanAbsShap: 1 - i / 20 }));
    const card = renderModelCard(cardInput({ features }));
    const ranked = [...card.matchAll(/^\| (\d+) \| (c\d+) \| /gm)].map((m) => m[2]);
    assert.deepEqual(ranked, features.slice(0, TOP_FEATURES).map((f) => f.column));
    assert.match(card, /over 1000 holdout rows/);
    assert.doesNotMatch(renderModelCard(cardInput({ features: [] })), /## Top features/);
  });

  it('names the limitations the data shows: imbalance, small data, wide intervals, validation warnings', () => {
    const limits = (input: ModelCardInput) => renderModelCard(input).split('## Limitations')[1]!.split('## Lineage')[0]!;
    const balanced = limits(cardInput());
    assert.doesNotMatch(balanced, /Imbalanced|Small data|interval is/);
    assert.match(balanced, /Validation warning: 12 rows repeat an earlier row/);
    const skewed = limits(cardInput({ data: { ...cardInput().data, rows: 400, testRows: 80, trainRows: 320, positives: 20 }, intervals: { roc_auc: [0.7, 0.9] } }));
    assert.match(skewed, /Imbalanced classes: the rarer class is 5\.0% of the rows/);
    assert.match(skewed, /Small data: 400 rows \(under 1000\); metrics on 80 holdout rows are noisy/);
    assert.match(skewed, /The ROC-AUC interval is 0\.2000 wide/);
  });

  it('ends with the lineage: dataset, run, code version, params and the study', () => {
    const lineage = renderModelCard(cardInput()).split('## Lineage')[1]!;
    assert.match(lineage, /dataset: `churn@0123456789ab`/);
    assert.match(lineage, /workflow: `train-churn`, run `run-7`/);
    assert.match(lineage, /code version: `abc123`/);
    assert.match(lineage, /params: eta=0\.1, max_depth=4/);
    assert.match(lineage, /tuning study: `churn\/run-7`, best trial 5 \(value 0\.8510\)/);
    assert.doesNotMatch(renderModelCard(cardInput({ lineage: { ...cardInput().lineage, study: undefined } })), /tuning study/);
  });
});
