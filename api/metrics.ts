import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Registry, type MetricValueWithName } from 'prom-client';
import type { PredictionLogWriter } from './prediction-log-writer';

/** Prometheus metrics of one API process: requests and latency by route and status, predictions by class. */
export interface ApiMetrics {
  registry: Registry;
  /** Counts and times every request; labels use the route pattern, so ids do not explode cardinality. */
  middleware: MiddlewareHandler;
  recordPredictions(model: string, version: number, label: string): void;
}

/**
 * Running counts per label set, keyed by the label values: prom-client's own `inc` and `observe` validate
 * and hash a label object on every call, several µs of a request under load; these are handed to it only
 * when /metrics is scraped (a metric's `collect` or `get`).
 */
class LabelledCounts<L extends Record<string, string>> {
  private readonly counts = new Map<string, { labels: L; count: number }>();

  /** Counts one more of the label set named `key`; `labels` makes its labels the first time. */
  increment(key: string, labels: () => L): void {
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { labels: labels(), count: 1 });
  }

  /** A prom-client Counter's `collect`: sets it to the counts so far. */
  exportTo(counter: Counter<string>): void {
    counter.reset();
    for (const { labels, count } of this.counts.values()) counter.inc(labels, count);
  }
}

/** A histogram by label set, in the spirit of `LabelledCounts`: one map lookup and a bucket search per value. */
class LabelledHistogram<L extends Record<string, string>> {
  private readonly series = new Map<string, { labels: L; buckets: number[]; sum: number; count: number }>();

  /** `bounds`: the buckets' upper bounds, ascending (+Inf is implied). */
  constructor(readonly name: string, readonly help: string, private readonly bounds: readonly number[]) {}

  /** Counts `value` in the label set named `key`; `labels` makes its labels the first time. */
  observe(key: string, labels: () => L, value: number): void {
    let entry = this.series.get(key);
    if (!entry) this.series.set(key, (entry = { labels: labels(), buckets: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 }));
    const bucket = this.bounds.findIndex((bound) => value <= bound);
    if (bucket >= 0) entry.buckets[bucket]!++;
    entry.sum += value;
    entry.count++;
  }

  /** Every label set's labels and count of values. */
  *counts(): Iterable<{ labels: L; count: number }> {
    yield* this.series.values();
  }

  /** Registers it as a prom-client metric (summed across cluster workers, as prom-client's histograms are). */
  register(registry: Registry): void {
    const metric = { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', get: async () => this.export() };
    registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series as prom-client exports a Histogram: cumulative `_bucket`s by `le`, then `_sum` and `_count`. */
  private export() {
    const values: Array<MetricValueWithName<string>> = [];
    for (const { labels, buckets, sum, count } of this.series.values()) {
      let below = 0;
      this.bounds.forEach((le, i) => values.push({ metricName: `${this.name}_bucket`, labels: { le, ...labels }, value: (below += buckets[i]!) }));
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...labels }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels, value: sum }, { metricName: `${this.name}_count`, labels, value: count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}

/** `logWriter`, when given, is exported as its queue depth and its dropped and failed counts. */
export function createApiMetrics(logWriter?: PredictionLogWriter): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kiln_' });
  const labelNames = ['method', 'route', 'status'] as const;
  type RequestLabels = Record<(typeof labelNames)[number], string>;
  const latency = new LabelledHistogram<RequestLabels>('kiln_http_request_duration_seconds', 'Time to answer an HTTP request', [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]);
  latency.register(registry);
  // The request counts are the histogram's.
  new Counter({
    name: 'kiln_http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry],
    collect() {
      this.reset();
      for (const { labels, count } of latency.counts()) this.inc(labels, count);
    },
  });
  if (logWriter) {
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
    gauge('kiln_prediction_log_queue_depth', 'Prediction log rows waiting to be written', () => logWriter.depth);
    gauge('kiln_prediction_log_dropped', 'Prediction log rows dropped since start (queue full, or unwritable at shutdown)', () => logWriter.dropped);
    gauge('kiln_prediction_log_write_failures', 'Failed prediction log writes since start', () => logWriter.failures);
  }
  const predictionCounts = new LabelledCounts<Record<'model' | 'version' | 'class', string>>();
  new Counter({ name: 'kiln_predictions_total', help: 'Predictions served', labelNames: ['model', 'version', 'class'], registers: [registry], collect() { predictionCounts.exportTo(this); } });

  return {
    registry,
    middleware: async (c, next) => {
      const started = performance.now();
      await next();
      const { method } = c.req;
      const { status } = c.res;
      const matched = routePath(c, -1);
      const route = status === 404 && matched === '/*' ? 'unmatched' : matched;
      latency.observe(`${method} ${route} ${status}`, () => ({ method, route, status: String(status) }), (performance.now() - started) / 1000);
    },
    recordPredictions: (model, version, label) =>
      predictionCounts.increment(`${model}\u0000${version}\u0000${label}`, () => ({ model, version: String(version), class: label })),
  };
}
