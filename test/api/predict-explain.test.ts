import assert from 'node:assert/strict';
import type { RecordExplanation } from '../../models/scoring-model';
import { telcoApp, telcoRecords, type TelcoApp } from './telco-model';

type Explained = { probability: number; threshold: number; prediction: string; explanation?: RecordExplanation };

describe('predictions with ?explain=true', function () {
  this.timeout(120_000);
  let served: TelcoApp;
  const records = telcoRecords().slice(0, 5);
  const inputColumns = Object.keys(records[0]!).filter((column) => column !== 'customerID' && column !== 'Churn');

  before(async () => (served = await telcoApp()));
  after(() => served.close());

  const post = (route: string, body: unknown) => served.app.request(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const logit = (p: number) => Math.log(p / (1 - p));

  it('adds the top raw input columns by SHAP contribution, which with the bias add up to the score', async () => {
    const plain = (await (await post('/predict', records[0])).json()) as Explained;
    assert.equal(plain.explanation, undefined);
    assert.equal(plain.threshold, 0.5);

    const all = (await (await post(`/predict?explain=true&top=${inputColumns.length}`, records[0])).json()) as Explained;
    assert.equal(all.probability, plain.probability);
    const { bias, contributions } = all.explanation!;
    assert.deepEqual(contributions.map((c) => c.column).sort(), [...inputColumns].sort());
    const margin = bias + contributions.reduce((sum, c) => sum + c.contribution, 0);
    assert.ok(Math.abs(margin - logit(all.probability)) < 1e-4, `${margin} vs ${logit(all.probability)}`);

    const top3 = (await (await post('/models/telco-churn/predict?explain=true&top=3', records[0])).json()) as Explained;
    assert.deepEqual(top3.explanation!.contributions, contributions.slice(0, 3));
    const byDefault = (await (await post('/predict?explain=1', records[0])).json()) as Explained;
    assert.equal(byDefault.explanation!.contributions.length, 5);
  });

  it('explains each scored record of a batch, and none of the bad ones', async () => {
    const batch = [records[1], { ...records[2], tenure: 'n/a' }, records[3]];
    const body = (await (await post('/predict/batch?explain=true&top=2', batch)).json()) as { threshold: number; results: Array<Explained & { error?: string }> };
    assert.equal(body.threshold, 0.5);
    assert.equal(body.results[1]!.error, 'invalid record');
    assert.equal(body.results[1]!.explanation, undefined);
    for (const [i, k] of [[0, 1], [2, 3]] as const) {
      const single = (await (await post('/predict?explain=true&top=2', records[k])).json()) as Explained;
      assert.deepEqual(body.results[i]!.explanation, single.explanation);
    }
  });

  it('documents explain and the threshold in OpenAPI', async () => {
    const spec = (await (await served.app.request('/openapi.json')).json()) as { paths: Record<string, any>; components: { schemas: Record<string, any> } };
    assert.deepEqual(spec.paths['/predict'].post.parameters.map((p: { name: string }) => p.name), ['explain', 'top']);
    assert.deepEqual(spec.paths['/models/telco-churn/predict/batch'].post.parameters.map((p: { name: string }) => p.name), ['explain', 'top']);
    assert.ok(spec.components.schemas.Prediction.properties.explanation);
    assert.ok(spec.components.schemas.Prediction.required.includes('threshold'));
  });

  it('answers bad explain parameters with 422 naming them', async () => {
    const badTop = await post('/predict?explain=true&top=0', records[0]);
    assert.equal(badTop.status, 422);
    assert.deepEqual(((await badTop.json()) as { issues: unknown }).issues, [{ field: 'top', message: 'top: expected an integer from 1 to 100, got "0"' }]);
    assert.equal((await post('/predict?explain=maybe', records[0])).status, 422);
  });
});
