import assert from 'node:assert/strict';
import { timeOrderedId } from '../../api/request-ids';

describe('timeOrderedId', () => {
  it('makes UUIDv7s that sort by creation time', async () => {
    const first = timeOrderedId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const ids = [first, ...Array.from({ length: 100 }, timeOrderedId)];
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(ids.slice(1).every((id) => id > first));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(Math.abs(parseInt(first.replace('-', '').slice(0, 12), 16) - Date.now()) < 1000);
  });
});
