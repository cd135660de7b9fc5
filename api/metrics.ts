import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PredictionLogWriter } from './prediction-log-writer';

/** Prometheus metrics of one API process: requests and latency by route and status, predictions by class. */
export interface ApiMetrics {
  registry: Registry;
  /** Counts and times every request; labels use the route pattern, so ids do not explode cardinality. */
  middleware: MiddlewareHandler;
  recordPredictions(model: string, version: number, label: string, count?: number): void;
}

/** `logWriter`, when given, is exported as its queue depth and its dropped and failed counts. */
export function createApiMetrics(logWriter?: PredictionLogWriter): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kiln_' });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'kiln_http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });
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
  const predictions = new Counter({ name: 'kiln_predictions_total', help: 'Predictions served', labelNames: ['model', 'version', 'class'], registers: [registry] });

  return {
    registry,
    middleware: async (c, next) => {
      const started = performance.now();
      await next();
      const labels = { method: c.req.method, route: c.res.status === 404 && routePath(c, -1) === '/*' ? 'unmatched' : routePath(c, -1), status: String(c.res.status) };
      requests.inc(labels);
      latency.observe(labels, (performance.now() - started) / 1000);
    },
    recordPredictions: (model, version, label, count = 1) => predictions.inc({ model, version: String(version), class: label }, count),
  };
}
