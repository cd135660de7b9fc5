import assert from 'node:assert/strict';
import type { DriftReport, TrafficSummary } from '../../models/monitoring';
import type { RawRecord } from '../../models/features/raw-values';
import { telcoApp, telcoRecords, type TelcoApp } from './telco-model';

interface MonitoringBody {
  model: string;
  production_version: number | null;
  versions: Array<{ version: number; stage: string; metrics: Record<string, number>; created_at: string }>;
  traffic: TrafficSummary & { truncated: boolean };
  feedback: Array<{ model_version: number; labelled: number; correct: number; accuracy: number }>;
}

describe('monitoring: dashboard, traffic and drift', function () {
  this.timeout(120_000);
  let served: TelcoApp;
  let app: TelcoApp['app'];
  let records: RawRecord[];

  before(async () => {
    served = await telcoApp();
    app = served.app;
    records = telcoRecords();
  });
  after(() => served.close());

  const post = (route: string, body: unknown, requestId?: string) =>
    app.request(route, { method: 'POST', headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) }, body: JSON.stringify(body) });
  const getJson = async <T>(route: string): Promise<T> => {
    const response = await app.request(route);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as T;
  };

  it('serves the dashboard as one self-contained page', async () => {
    const response = await app.request('/dashboard');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    const html = await response.text();
    assert.match(html, /<script>[\s\S]*\/monitoring\?minutes=[\s\S]*\/drift\?window=/);
    // Nothing is loaded from elsewhere: no external script, style sheet or image.
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/);
  });

  it('reports traffic, predicted classes, versions and feedback accuracy from the prediction log', async () => {
    const singles: Array<{ prediction: string; request_id: string }> = [];
    for (const [i, record] of records.slice(0, 20).entries()) {
      const response = await post('/predict', record, `monitoring-${i}`);
      assert.equal(response.status, 200);
      singles.push((await response.json()) as { prediction: string; request_id: string });
    }
    const batch = (await (await post('/predict/batch', records.slice(20, 120))).json()) as { results: Array<{ prediction: string }> };
    await served.writer.flush();
    // Two labels agree with the prediction, one does not.
    for (const [i, single] of singles.slice(0, 3).entries()) {
      const label = i < 2 ? single.prediction : single.prediction === 'Yes' ? 'No' : 'Yes';
      assert.equal((await post('/feedback', { request_id: single.request_id, label })).status, 201);
    }

    const body = await getJson<MonitoringBody>('/models/telco-churn/monitoring?minutes=5');
    assert.equal(body.production_version, 1);
    assert.deepEqual(body.versions.map((v) => [v.version, v.stage]), [[1, 'production']]);
    const { traffic } = body;
    assert.equal(traffic.perMinute.length, 5);
    assert.equal(traffic.requests, 21);
    assert.equal(traffic.predictions, 120);
    assert.equal(traffic.truncated, false);
    const expected: Record<string, number> = {};
    for (const { prediction } of [...singles, ...batch.results]) expected[prediction] = (expected[prediction] ?? 0) + 1;
    assert.deepEqual(traffic.classes, expected);
    // Prometheus counts the same predictions by class, and the requests by route and status; a second
    // scrape reports the same totals.
    for (let scrape = 0; scrape < 2; scrape++) {
      const metrics = await (await app.request('/metrics')).text();
      const counted = Object.fromEntries([...metrics.matchAll(/^kiln_predictions_total\{model="telco-churn",version="1",class="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
      assert.deepEqual(counted, expected);
      assert.match(metrics, /^kiln_http_requests_total\{method="POST",route="\/predict",status="200"\} 20$/m);
      assert.match(metrics, /^kiln_http_requests_total\{method="POST",route="\/feedback",status="201"\} 3$/m);
      assert.match(metrics, /^kiln_http_request_duration_seconds_count\{method="POST",route="\/predict",status="200"\} 20$/m);
      // Buckets are cumulative and end with every request in +Inf.
      const buckets = [...metrics.matchAll(/^kiln_http_request_duration_seconds_bucket\{le="([^"]+)",method="POST",route="\/predict",status="200"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
      assert.equal(buckets.length, 14);
      assert.deepEqual(buckets.at(-1), ['+Inf', 20]);
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]![1] >= buckets[i - 1]![1], `bucket le=${buckets[i]![0]} below the one before`);
    }
    assert.ok(traffic.latencyMs!.p50 > 0 && traffic.latencyMs!.p50 <= traffic.latencyMs!.p99);
    assert.deepEqual(body.feedback, [{ model_version: 1, labelled: 3, correct: 2, accuracy: 2 / 3 }]);
  });

  it('finds no drift for training-like inputs, and names the inputs that moved', async () => {
    const steady = await getJson<{ model_version: number; window: number; report: DriftReport }>('/models/telco-churn/drift?window=120');
    assert.equal(steady.model_version, 1);
    assert.equal(steady.report.rows, 120);
    for (const column of steady.report.columns) assert.notEqual(column.level, 'major', `${column.column}: PSI ${column.psi}`);
    assert.deepEqual(steady.report.columns.map((c) => c.column).sort(), Object.keys(records[0]!).filter((k) => k !== 'customerID' && k !== 'Churn').sort());

    // New customers on month-to-month contracts, one with a contract type never seen in training.
    const shifted = records.slice(200, 400).map((record, i) => ({ ...record, tenure: 1, Contract: i === 0 ? 'Weekly' : 'Month-to-month' }));
    assert.equal((await post('/predict/batch', shifted)).status, 200);
    await served.writer.flush();
    const drifted = await getJson<{ report: DriftReport }>('/models/telco-churn/drift?window=200');
    const column = (name: string) => drifted.report.columns.find((c) => c.column === name)!;
    assert.equal(column('tenure').level, 'major');
    assert.equal(column('Contract').level, 'major');
    assert.deepEqual(column('Contract').unseen, ['Weekly']);
    assert.equal(drifted.report.score.level, 'major');
    assert.ok(drifted.report.score.actualMean! > drifted.report.score.expectedMean!);
    assert.equal(drifted.report.level, 'major');
  });

  it('answers bad query parameters with 422 naming them, and unknown models with 404', async () => {
    const badWindow = await app.request('/models/telco-churn/drift?window=0');
    assert.equal(badWindow.status, 422);
    assert.deepEqual(((await badWindow.json()) as { issues: unknown }).issues, [{ field: 'window', message: 'window: expected an integer from 1 to 50000, got "0"' }]);
    assert.equal((await app.request('/models/telco-churn/monitoring?minutes=abc')).status, 422);
    assert.equal((await app.request('/models/nope/drift')).status, 404);
    assert.equal((await app.request('/models/nope/monitoring')).status, 404);
  });
});
