import { Hono } from 'hono';
import { z } from 'zod';
import type { PredictionLog } from '../../db';
import { NotFoundError } from '../../lib/errors';
import { readJson } from '../errors';
import type { ApiEnv } from '../env';
import type { PredictionLogWriter } from '../prediction-log-writer';
import { fieldIssues } from '../record-schema';

const feedbackSchema = z.strictObject({
  request_id: z.string().min(1),
  /** The record's position in a batch request; 0 for a single prediction. */
  item: z.number().int().min(0).default(0),
  label: z.union([z.string().min(1), z.number(), z.boolean()]).transform(String),
});

/** `POST /feedback { request_id, label }`: the true outcome of a logged prediction, for monitoring. */
export function feedbackRoutes({ store, writer }: { store: Pick<PredictionLog, 'recordFeedback'>; writer: Pick<PredictionLogWriter, 'flush'> }) {
  return new Hono<ApiEnv>().post('/feedback', async (c) => {
    const body = await readJson(c);
    const parsed = feedbackSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: 'invalid feedback', issues: fieldIssues(parsed.error, body) }, 422);
    const feedback = { requestId: parsed.data.request_id, item: parsed.data.item, label: parsed.data.label };
    try {
      await store.recordFeedback(feedback);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // The prediction may still wait in the log writer's queue (labels can follow answers within a second).
      await writer.flush();
      await store.recordFeedback(feedback);
    }
    return c.json({ status: 'recorded' }, 201);
  });
}
