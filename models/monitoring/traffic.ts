import { quantileOfSorted } from '../validation/profile';

/** One logged prediction, as far as traffic is concerned. */
export interface TrafficRow {
  requestId: string;
  prediction: string;
  latencyMs: number;
  /** ISO 8601 */
  createdAt: string;
}

export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface TrafficMinute {
  /** Start of the minute, ISO 8601. */
  minute: string;
  requests: number;
  predictions: number;
  /** Requests over the minute's seconds (for the current minute, the seconds elapsed so far). */
  requestsPerSecond: number;
  /** Of the requests answered in the minute; null when there were none. */
  latencyMs: LatencyPercentiles | null;
}

export interface TrafficSummary {
  /** Start of the first minute shown, ISO 8601. */
  since: string;
  requests: number;
  predictions: number;
  latencyMs: LatencyPercentiles | null;
  /** Predictions by predicted class. */
  classes: Record<string, number>;
  /** Oldest first, one entry per minute including empty ones; the last is the current minute. */
  perMinute: TrafficMinute[];
}

const MINUTE_MS = 60_000;

/**
 * Requests, predictions, latency percentiles and predicted classes per minute over the last `minutes`
 * minutes (the current one included). A batch request is one request of many predictions; its rows
 * share the request's latency.
 *
 * @example summarizeTraffic(rows, { minutes: 10, now: new Date() }).perMinute.at(-1)?.requestsPerSecond
 */
export function summarizeTraffic(rows: readonly TrafficRow[], { minutes, now }: { minutes: number; now: Date }): TrafficSummary {
  const first = trafficSince(minutes, now).getTime();
  const current = first + (minutes - 1) * MINUTE_MS;
  const buckets = Array.from({ length: minutes }, () => ({ latencies: [] as number[], predictions: 0 }));
  const seen = new Set<string>();
  const classes: Record<string, number> = {};
  const all: number[] = [];
  for (const row of rows) {
    const at = Date.parse(row.createdAt);
    if (!(at >= first && at < current + MINUTE_MS)) continue;
    const bucket = buckets[Math.floor((at - first) / MINUTE_MS)]!;
    bucket.predictions++;
    classes[row.prediction] = (classes[row.prediction] ?? 0) + 1;
    if (seen.has(row.requestId)) continue;
    seen.add(row.requestId);
    bucket.latencies.push(row.latencyMs);
    all.push(row.latencyMs);
  }
  const elapsedSeconds = Math.max(1, (now.getTime() - current) / 1000);
  const perMinute = buckets.map((bucket, i) => ({
    minute: new Date(first + i * MINUTE_MS).toISOString(),
    requests: bucket.latencies.length,
    predictions: bucket.predictions,
    requestsPerSecond: bucket.latencies.length / (i === minutes - 1 ? elapsedSeconds : 60),
    latencyMs: percentiles(bucket.latencies),
  }));
  return {
    since: new Date(first).toISOString(),
    requests: all.length,
    predictions: perMinute.reduce((sum, minute) => sum + minute.predictions, 0),
    latencyMs: percentiles(all),
    classes,
    perMinute,
  };
}

/** Start of the first of the last `minutes` whole minutes, the current one included: the rows to read. */
export function trafficSince(minutes: number, now: Date): Date {
  return new Date((Math.floor(now.getTime() / MINUTE_MS) - (minutes - 1)) * MINUTE_MS);
}

function percentiles(values: number[]): LatencyPercentiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return { p50: quantileOfSorted(sorted, 0.5), p95: quantileOfSorted(sorted, 0.95), p99: quantileOfSorted(sorted, 0.99) };
}
