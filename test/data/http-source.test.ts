import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import type { SourceConfig } from '../../models/data/source-config';
import { fromParquet, toParquet, toRecords } from '../../models/data/tabular';
import { customersCsv, customersFrame, customersJsonl, ingestFixture, type IngestFixture } from './fixture';

type Route = (response: http.ServerResponse) => void;
type Guarded = (request: http.IncomingMessage) => Route;

const send = (status: number, body: string | Uint8Array, headers: http.OutgoingHttpHeaders = {}): Route => (response) => {
  response.writeHead(status, headers);
  response.end(body);
};

/** Answers from a table of routes on an ephemeral port of 127.0.0.1. */
function serve(routes: Record<string, Route>, guarded: Record<string, Guarded> = {}): Promise<{ url: (path: string) => string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const path = request.url ?? '';
    (guarded[path]?.(request) ?? routes[path] ?? send(404, 'no such file'))(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: (path) => `http://127.0.0.1:${port}${path}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

describe('HTTP sources', () => {
  let f: IngestFixture;
  let server: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    f = await ingestFixture();
    server = await serve({
      '/customers': send(200, customersCsv, { 'content-type': 'text/csv; charset=utf-8' }),
      '/export/customers.jsonl': send(200, customersJsonl(), { 'content-type': 'application/octet-stream' }),
      '/blob': send(200, toParquet(customersFrame())),
      '/latin1': send(200, Buffer.from('city,n\nZürich,1\n', 'latin1'), { 'content-type': 'text/csv; charset=ISO-8859-1' }),
      '/page': send(200, '<html></html>', { 'content-type': 'text/html' }),
      '/private': send(403, 'forbidden'),
      '/busy': send(503, 'try later'),
      '/slow': () => {}, // never answers
    }, {
      '/account.csv': (request) => (request.headers.authorization === `Basic ${Buffer.from('ana:s3cret').toString('base64')}` ? send(200, 'a\n1\n') : send(401, 'who are you?')),
    });
  });
  after(async () => {
    await server.close();
    await f.close();
  });

  type HttpSource = Extract<SourceConfig, { type: 'http' }>;
  const source = (path: string, options: Partial<HttpSource> = {}): HttpSource => ({
    type: 'http',
    url: server.url(path),
    delimiter: ',',
    quote: '"',
    timeoutSeconds: 5,
    ...options,
  });
  const rowsOf = async (datasetId: string) => toRecords(fromParquet(f.resources.artifacts.get((await f.resources.registry.getDataset(datasetId)).snapshotKey)));

  it('tells the format from the content-type, the URL\'s extension or the config', async () => {
    const byType = await f.activities.ingest({ datasetName: 'web', source: source('/customers') });
    const byExtension = await f.activities.ingest({ datasetName: 'web', source: source('/export/customers.jsonl') });
    const byConfig = await f.activities.ingest({ datasetName: 'web', source: source('/blob', { format: 'parquet' }) });
    assert.equal(byType.rowCount, 6);
    assert.deepEqual([byExtension.datasetId, byConfig.datasetId], [byType.datasetId, byType.datasetId], 'the same customers, the same version');
    const dataset = await f.resources.registry.getDataset(byType.datasetId);
    assert.deepEqual(dataset.source, { sources: [{ type: 'http', url: server.url('/customers'), rows: 6 }] });
  });

  it('decodes CSV in the charset the response declares', async () => {
    const result = await f.activities.ingest({ datasetName: 'latin', source: source('/latin1') });
    assert.deepEqual(await rowsOf(result.datasetId), [{ city: 'Zürich', n: 1 }]);
  });

  const failure = async (input: SourceConfig): Promise<unknown> => {
    try {
      await f.activities.ingest({ datasetName: 'web', sources: [input] });
    } catch (error) {
      return error;
    }
    assert.fail('the ingest should have failed');
  };

  it('fails for good on a 4xx answer or an unknown format, naming the request', async () => {
    const forbidden = await failure(source('/private'));
    assert.ok(forbidden instanceof ApplicationFailure && forbidden.nonRetryable, String(forbidden));
    assert.equal(forbidden.message, `GET ${server.url('/private')}: HTTP 403 Forbidden`);
    const html = await failure(source('/page'));
    assert.ok(html instanceof ApplicationFailure && html.nonRetryable);
    assert.match(html.message, /: cannot tell the format from content-type "text\/html" or the URL; set sources\[0\]\.format to csv, parquet or jsonl$/);
  });

  it('leaves 5xx answers, timeouts and refused connections to the retry policy, naming the request', async () => {
    const busy = await failure(source('/busy'));
    assert.ok(!(busy instanceof ApplicationFailure) && busy instanceof Error, 'a plain error is retried');
    assert.equal(busy.message, `GET ${server.url('/busy')}: HTTP 503 Service Unavailable`);

    const started = Date.now();
    const slow = await failure(source('/slow', { timeoutSeconds: 0.3 }));
    assert.ok(!(slow instanceof ApplicationFailure) && slow instanceof Error);
    assert.equal(slow.message, `GET ${server.url('/slow')}: no complete response within 0.3 s (sources[0].timeoutSeconds)`);
    assert.ok(Date.now() - started < 5000, 'the timeout cut the request short');

    const closed = await serve({});
    const url = closed.url('/gone.csv');
    await closed.close();
    const refused = await failure({ ...source('/x'), url });
    assert.ok(!(refused instanceof ApplicationFailure) && refused instanceof Error);
    assert.equal(refused.message, `GET ${url}: ECONNREFUSED`);
  });

  it('asks for the rows past the last watermark when the URL names {watermark}', async () => {
    const orders = [{ seq: 1, amount: 10 }, { seq: 2, amount: 20 }];
    const asked: string[] = [];
    const feed = http.createServer((request, response) => {
      const since = new URL(request.url!, 'http://feed').searchParams.get('since') ?? '';
      asked.push(since);
      const rows = orders.filter((order) => since === '' || order.seq > Number(since));
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.end(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/orders?since={watermark}`;
    const input = { datasetName: 'feed', sources: [{ ...source('/x'), url }], incremental: { watermark: 'seq' } };
    try {
      const v1 = await f.activities.ingest(input);
      orders.push({ seq: 3, amount: 30 });
      const v2 = await f.activities.ingest(input);
      const v3 = await f.activities.ingest(input);
      assert.deepEqual(asked, ['', '2', '3'], 'empty the first time, then the value reached');
      assert.deepEqual([v1.rowCount, v2.rowCount, v2.addedRows, v2.parentId], [2, 3, 1, v1.datasetId]);
      assert.deepEqual([v3.datasetId, v3.created, v3.addedRows], [v2.datasetId, false, 0], 'an empty answer adds nothing');
      const unbound = await failure({ ...source('/x'), url });
      assert.ok(unbound instanceof ApplicationFailure && unbound.nonRetryable);
      assert.equal(unbound.message, 'sources[0].url: {watermark} is the value an incremental load reached; set incremental.watermark to the column it is read from');
    } finally {
      feed.closeAllConnections();
      await new Promise((resolve) => feed.close(resolve));
    }
  });

  it('sends credentials in the URL as Basic authentication, and keeps them out of messages and the recorded source', async () => {
    const url = server.url('/account.csv').replace('http://', 'http://ana:s3cret@');
    const result = await f.activities.ingest({ datasetName: 'account', source: { ...source('/x'), url } });
    const dataset = await f.resources.registry.getDataset(result.datasetId);
    assert.deepEqual(dataset.source, { sources: [{ type: 'http', url: server.url('/account.csv').replace('http://', 'http://***@'), rows: 1 }] });
    const refused = await failure({ ...source('/x'), url: url.replace('s3cret', 'wrong') });
    assert.ok(refused instanceof ApplicationFailure && refused.nonRetryable);
    assert.equal(refused.message, `GET ${server.url('/account.csv').replace('http://', 'http://***@')}: HTTP 401 Unauthorized`);
  });
});
