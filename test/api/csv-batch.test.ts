import assert from 'node:assert/strict';
import fs from 'node:fs';
import { telcoApp, telcoCsv, telcoRecords, type TelcoApp } from './telco-model';

type BatchBody = { model_version: number; results: Array<{ index: number; prediction?: string; probability?: number; error?: string; issues?: Array<{ field: string; message: string }> }> };

describe('CSV batch predictions', function () {
  this.timeout(120_000);
  let served: TelcoApp;
  let app: TelcoApp['app'];
  // The bundled file's lines as they are on disk (rows 489 and 754 have a blank TotalCharges).
  const lines = fs.readFileSync(telcoCsv, 'utf8').split('\n');
  const header = lines[0]!;
  const csv = (...rows: string[]) => [header, ...rows].join('\n') + '\n';

  before(async () => {
    served = await telcoApp({ maxBodyBytes: 1 << 20 });
    app = served.app;
  });
  after(() => served.close());

  const upload = (route: string, body: string | Buffer, contentType = 'text/csv') => app.request(route, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('scores each CSV row exactly as training scores the same row, and as the JSON batch does', async () => {
    const response = await upload('/predict/batch', csv(...lines.slice(1, 801)));
    assert.equal(response.status, 200);
    const body = (await response.json()) as BatchBody;
    assert.equal(body.results.length, 800);
    const training = telcoRecords().slice(0, 800);
    const expected = (await served.models.get('telco-churn')).scoring.predict(training);
    body.results.forEach((result, i) => {
      assert.equal(result.index, i);
      assert.equal(result.probability, expected[i], `row ${i + 1}`);
    });
    const json = (await (await app.request('/models/telco-churn/predict/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(training) })).json()) as BatchBody;
    assert.deepEqual(json.results, body.results);
  });

  it('gives a bad row its own error entry and scores the others', async () => {
    const bad = lines[2]!.replace(',34,', ',thirty-four,');
    const response = await upload('/models/telco-churn/predict/batch', csv(lines[1]!, bad, lines[3]!), 'text/csv; charset=utf-8');
    assert.equal(response.status, 200);
    const { results } = (await response.json()) as BatchBody;
    assert.equal(results.length, 3);
    assert.ok(results[0]!.probability !== undefined && results[2]!.probability !== undefined);
    assert.deepEqual(results[1], { index: 1, error: 'invalid record', issues: [{ field: 'tenure', message: 'expected a number, a numeric string, or null for a missing value' }] });
  });

  it('needs a header naming every input column', async () => {
    const withoutHeader = await upload('/predict/batch', lines.slice(1, 4).join('\n'));
    assert.equal(withoutHeader.status, 422);
    const noTenure = header.replace(',tenure,', ',months,');
    const renamed = await upload('/predict/batch', [noTenure, lines[1]].join('\n'));
    assert.equal(renamed.status, 422);
    assert.deepEqual(await renamed.json(), {
      error: 'the CSV header (its first line) must name every input column; missing: tenure',
      issues: [{ field: 'tenure', message: 'not a column of the CSV header' }],
    });
  });

  it('answers a malformed CSV with 400 naming the line, and too many rows with 422', async () => {
    const ragged = await upload('/predict/batch', csv(lines[1]!, `${lines[2]},extra`));
    assert.equal(ragged.status, 400);
    assert.match(((await ragged.json()) as { error: string }).error, /CSV body: line 3 has 22 fields, the header has 21/);
    assert.equal((await upload('/predict/batch', Buffer.from([0x61, 0x0a, 0xff, 0x0a]))).status, 400);
    assert.equal((await upload('/predict/batch', `${header}\n`)).status, 400);
    const tooMany = await upload('/predict/batch', `a\n${'1\n'.repeat(10_001)}`);
    assert.equal(tooMany.status, 422);
    assert.match(((await tooMany.json()) as { error: string }).error, /a batch holds 1 to 10000 records, got 10001 CSV rows/);
  });

  it('documents CSV uploads and the monitoring routes in OpenAPI', async () => {
    const spec = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, any> };
    assert.ok(spec.paths['/models/telco-churn/predict/batch'].post.requestBody.content['text/csv']);
    assert.deepEqual(spec.paths['/models/telco-churn/drift'].get.parameters.map((p: { name: string }) => p.name), ['window']);
    assert.ok(spec.paths['/models/telco-churn/monitoring'].get);
    assert.ok(spec.paths['/dashboard'].get);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const big = csv(...Array.from({ length: 9000 }, (_, i) => lines[1 + (i % 7000)]!));
    assert.ok(big.length > 1 << 20);
    assert.equal((await upload('/predict/batch', big)).status, 413);
  });
});
