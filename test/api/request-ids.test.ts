import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ApiEnv } from '../../api/env';
import { requestIds, timeOrderedId } from '../../api/request-ids';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('makes UUIDv7s that sort by creation time', async () => {
    const first = timeOrderedId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const ids = [first, ...Array.from({ length: 100 }, timeOrderedId)];
    for (const id of ids) assert.match(id, uuidV7);
    assert.ok(ids.slice(1).every((id) => id > first));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(Math.abs(parseInt(first.replace('-', '').slice(0, 12), 16) - Date.now()) < 1000);
  });
});

describe('requestIds', () => {
  const app = new Hono<ApiEnv>().use(requestIds()).get('/', (c) => c.json({ id: c.get('requestId') }));
  /** The id the route saw and the X-Request-Id answered, for a request sending `given`. */
  const ids = async (fetchIt: (headers: Record<string, string>) => Promise<Response>, given?: string) => {
    const response = await fetchIt(given === undefined ? {} : { 'x-request-id': given });
    return { seen: ((await response.json()) as { id: string }).id, header: response.headers.get('x-request-id') };
  };
  const cases = async (fetchIt: (headers: Record<string, string>) => Promise<Response>) => {
    for (const given of ['client-id_1=', 'a'.repeat(255)]) assert.deepEqual(await ids(fetchIt, given), { seen: given, header: given });
    for (const given of [undefined, '', 'a'.repeat(256), 'has space', 'semi;colon']) {
      const { seen, header } = await ids(fetchIt, given);
      assert.match(seen, uuidV7, String(given));
      assert.equal(header, seen);
    }
  };

  it('keeps an acceptable client id, else makes one, and answers it in X-Request-Id (in process)', async () => {
    await cases(async (headers) => app.request('/', { headers }));
  });

  it('answers X-Request-Id from the Node response when served over HTTP', async () => {
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    try {
      const { port } = server.address() as AddressInfo;
      await cases((headers) => fetch(`http://127.0.0.1:${port}/`, { headers }));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
