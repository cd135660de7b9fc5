import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PredictionLogWriter } from './prediction-log-writer';

/** Prometheus metrics of one API process: requests and latency by route and status, predictions by class. */
export interface ApiMetrics {
  registry: Registry;
  /** Counts and times every request; labels use the route pattern, so ids do not explode cardinality. */
  middleware: MiddlewareHandler;
  recordPredictions(model: string, version: number, label: string): void;
}

/**
 * Running counts per label set, keyed by the label values: prom-client's own `inc` validates and hashes
 * a label object on every call, several µs of a request under load; these are handed to it only when
 * /metrics is scraped (its `collect` hook).
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

/** `logWriter`, when given, is exported as its queue depth and its dropped and failed counts. */
export function createApiMetrics(logWriter?: PredictionLogWriter): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kiln_' });
  const labelNames = ['method', 'route', 'status'] as const;
  const requestCounts = new LabelledCounts<Record<(typeof labelNames)[number], string>>();
  new Counter({ name: 'kiln_http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry], collect() { requestCounts.exportTo(this); } });
  const latency = new Histogram({
    name: 'kiln_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
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
      const labels = { method, route, status: String(status) };
      requestCounts.increment(`${method} ${route} ${status}`, () => labels);
      latency.observe(labels, (performance.now() - started) / 1000);
    },
    recordPredictions: (model, version, label) =>
      predictionCounts.increment(`${model}\u0000${version}\u0000${label}`, () => ({ model, version: String(version), class: label })),
  };
}
