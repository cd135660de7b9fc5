import assert from 'node:assert/strict';
import { summarizeTraffic, type TrafficRow } from '../../models/monitoring';

describe('summarizeTraffic', () => {
  const now = new Date('2026-11-23T12:02:30.000Z');
  const row = (requestId: string, at: string, latencyMs: number, prediction = 'No'): TrafficRow => ({ requestId, createdAt: `2026-11-23T${at}Z`, latencyMs, prediction });

  it('counts requests, predictions and classes per minute, a batch as one request', () => {
    const rows = [
      row('a', '12:00:05.000', 2),
      row('b', '12:00:59.999', 4, 'Yes'),
      // A batch of three in the current minute: one request, three predictions.
      row('batch', '12:02:10.000', 30, 'Yes'),
      row('batch', '12:02:10.000', 30),
      row('batch', '12:02:10.000', 30),
      row('c', '12:02:29.000', 10),
      // Before the window: left out.
      row('old', '11:59:59.999', 1),
    ];
    const summary = summarizeTraffic(rows, { minutes: 3, now });
    assert.equal(summary.since, '2026-11-23T12:00:00.000Z');
    assert.deepEqual(summary.perMinute.map((m) => [m.minute, m.requests, m.predictions]), [
      ['2026-11-23T12:00:00.000Z', 2, 2],
      ['2026-11-23T12:01:00.000Z', 0, 0],
      ['2026-11-23T12:02:00.000Z', 2, 4],
    ]);
    assert.equal(summary.perMinute[0]!.requestsPerSecond, 2 / 60);
    // The current minute has lasted 30 s.
    assert.equal(summary.perMinute[2]!.requestsPerSecond, 2 / 30);
    assert.equal(summary.perMinute[1]!.latencyMs, null);
    assert.deepEqual(summary.perMinute[0]!.latencyMs, { p50: 3, p95: 3.9, p99: 3.98 });
    assert.deepEqual(summary.classes, { No: 4, Yes: 2 });
    assert.equal(summary.requests, 4);
    assert.equal(summary.predictions, 6);
    // Latencies 2, 4, 10, 30 (the batch once).
    assert.equal(summary.latencyMs!.p50, 7);
  });

  it('shows empty minutes and no percentiles when nothing was served', () => {
    const summary = summarizeTraffic([], { minutes: 2, now });
    assert.deepEqual(summary.perMinute.map((m) => m.requests), [0, 0]);
    assert.equal(summary.latencyMs, null);
    assert.deepEqual(summary.classes, {});
  });
});
