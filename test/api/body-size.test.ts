import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { bodySizeLimit } from '../../api/body-size';

describe('bodySizeLimit', () => {
  const app = new Hono().use(bodySizeLimit(100)).post('/', async (c) => c.json({ length: (await c.req.text()).length }));

  it('passes bodies within the limit', async () => {
    const response = await app.request('/', { method: 'POST', body: 'x'.repeat(100), headers: { 'content-length': '100' } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { length: 100 });
  });

  it('answers 413 for a declared length over the limit', async () => {
    const response = await app.request('/', { method: 'POST', body: 'x'.repeat(101), headers: { 'content-length': '101' } });
    assert.equal(response.status, 413);
    assert.match(((await response.json()) as { error: string }).error, /larger than 100 bytes/);
  });

  it('answers 413 for a streamed body without a length once it passes the limit', async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(50)));
        controller.close();
      },
    });
    const response = await app.request('/', { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    assert.equal(response.status, 413);
  });
});
