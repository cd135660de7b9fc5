import { Hono, type Context } from 'hono';
import { csvRecords } from '../csv-records';
import { readJsonText } from '../errors';
import type { ApiEnv } from '../env';
import type { ApiMetrics } from '../metrics';
import type { PredictionLogWriter } from '../prediction-log-writer';
import type { ModelCache, ServedModel } from '../model-cache';
import { booleanParam, integerParam } from '../query-params';
import type { FieldIssue } from '../record-schema';
import type { RequestLog } from '../../db';
import { nowIso } from '../../db/registry-rows';
import type { RawRecord } from '../../models/features/raw-values';
import type { RecordExplanation } from '../../models/scoring-model';

export interface PredictRoutesOptions {
  models: ModelCache;
  metrics: Pick<ApiMetrics, 'recordPredictions'>;
  logWriter: Pick<PredictionLogWriter, 'enqueue' | 'room'>;
  /** Most records in one batch request. Default 10,000. */
  maxBatch?: number;
}

type BatchEntry = { index: number; prediction: string; probability: number; explanation?: RecordExplanation } | { index: number; error: string; issues: FieldIssue[] };

/**
 * `POST /models/{name}/predict` and `POST /predict`: one raw record in, one scored prediction out.
 * `…/predict/batch`: an array of records (JSON, or CSV with a header row as `text/csv`) in, results in
 * the same order; a bad record gets its own error entry and does not sink the batch. A batch waits to
 * queue its log rows while the prediction log is over half full (`PredictionLogWriter.room`), so bulk
 * scoring is paced to the database's write rate instead of dropping rows.
 * `?explain=true` (with `top`, default 5) adds each record's top raw input columns by SHAP contribution.
 * A probability at or above the version's decision threshold (its `threshold` metric, else 0.5) predicts
 * the positive class.
 */
export function predictRoutes({ models, metrics, logWriter, maxBatch = 10_000 }: PredictRoutesOptions) {
  const thresholdOf = (served: ServedModel) => served.version.metrics.threshold ?? 0.5;

  const label = (served: ServedModel, probability: number) => {
    const { positive, negative } = served.scoring.pipeline.state.target;
    return probability >= thresholdOf(served) ? positive : negative;
  };

  /**
   * Queues the log rows of an answered request: `inputsJson` is the body's JSON text (one record, or with
   * `items` an array of records), which the log turns into rows off the request path (see `RequestLog`).
   */
  const log = (c: Context<ApiEnv>, served: ServedModel, started: number, inputsJson: string, { items, probabilities, predictions }: Pick<RequestLog, 'items' | 'probabilities' | 'predictions'>) => {
    logWriter.enqueue({
      requestId: c.get('requestId'), modelName: served.name, modelVersion: served.version.version,
      latencyMs: performance.now() - started, createdAt: nowIso(), inputsJson, items, probabilities, predictions,
    });
  };

  /** How many contributions `?explain=true` asks for (`top`, default 5); undefined without it. */
  const explainTop = (c: Context<ApiEnv>) => (booleanParam(c, 'explain') ? integerParam(c, 'top', { min: 1, max: 100, fallback: 5 }) : undefined);

  const predict = async (c: Context<ApiEnv>, name: string) => {
    const started = performance.now();
    const top = explainTop(c);
    const served = await models.get(name);
    const body = await readJsonText(c);
    const record = served.validator.validate(body.value);
    if ('issues' in record) return c.json({ error: 'invalid record', issues: record.issues }, 422);
    const probability = served.scoring.predict([record.data])[0]!;
    const prediction = label(served, probability);
    const explanation = top === undefined ? undefined : served.scoring.explain([record.data], top)[0];
    metrics.recordPredictions(served.name, served.version.version, prediction);
    log(c, served, started, body.text, { probabilities: [probability], predictions: [prediction] });
    return c.json({ request_id: c.get('requestId'), model: name, model_version: served.version.version, prediction, probability, threshold: thresholdOf(served), ...(explanation && { explanation }) });
  };

  /** The batch's records and their JSON text: a JSON array, or a CSV upload whose header names every input column. */
  const readBatch = async (c: Context<ApiEnv>, served: ServedModel): Promise<{ body: unknown; text: string } | { absent: string[] }> => {
    if (!c.req.header('content-type')?.toLowerCase().startsWith('text/csv')) {
      const { value, text } = await readJsonText(c);
      return { body: value, text };
    }
    const { header, records } = csvRecords(Buffer.from(await c.req.arrayBuffer()), maxBatch);
    const absent = served.scoring.pipeline.inputs.map((input) => input.name).filter((input) => !header.includes(input));
    return absent.length > 0 ? { absent } : { body: records, text: JSON.stringify(records) };
  };

  const predictBatch = async (c: Context<ApiEnv>, name: string) => {
    const started = performance.now();
    const top = explainTop(c);
    const served = await models.get(name);
    const batch = await readBatch(c, served);
    if ('absent' in batch) {
      const issues = batch.absent.map((field) => ({ field, message: 'not a column of the CSV header' }));
      return c.json({ error: `the CSV header (its first line) must name every input column; missing: ${batch.absent.join(', ')}`, issues }, 422);
    }
    const { body, text } = batch;
    if (!Array.isArray(body)) return c.json({ error: 'the body must be a JSON array of records', issues: [{ field: '(body)', message: 'expected an array' }] }, 422);
    if (body.length === 0 || body.length > maxBatch) {
      return c.json({ error: `a batch holds 1 to ${maxBatch} records, got ${body.length}`, issues: [{ field: '(body)', message: `expected 1 to ${maxBatch} records` }] }, 422);
    }
    const results: BatchEntry[] = new Array(body.length);
    const valid: RawRecord[] = [];
    const validIndex: number[] = [];
    body.forEach((input, index) => {
      const record = served.validator.validate(input);
      if ('issues' in record) {
        results[index] = { index, error: 'invalid record', issues: record.issues };
      } else {
        valid.push(record.data);
        validIndex.push(index);
      }
    });
    // One native call scores every valid record.
    const probabilities = valid.length ? served.scoring.predict(valid) : new Float32Array();
    const explanations = top !== undefined && valid.length ? served.scoring.explain(valid, top) : undefined;
    const scored = { items: validIndex, probabilities: Array.from(probabilities), predictions: Array.from(probabilities, (probability) => label(served, probability)) };
    validIndex.forEach((index, k) => {
      const prediction = scored.predictions[k]!;
      metrics.recordPredictions(served.name, served.version.version, prediction);
      results[index] = { index, prediction, probability: scored.probabilities[k]!, ...(explanations && { explanation: explanations[k] }) };
    });
    await logWriter.room();
    log(c, served, started, text, scored);
    return c.json({ request_id: c.get('requestId'), model: name, model_version: served.version.version, threshold: thresholdOf(served), results });
  };

  return new Hono<ApiEnv>()
    .post('/models/:name/predict', (c) => predict(c, c.req.param('name')))
    .post('/models/:name/predict/batch', (c) => predictBatch(c, c.req.param('name')))
    .post('/predict', async (c) => predict(c, await models.defaultModel()))
    .post('/predict/batch', async (c) => predictBatch(c, await models.defaultModel()));
}
