import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../lib/errors';
import { isUniqueViolation } from './db-errors';
import { nowIso } from './registry-rows';

/** One answered prediction, as the API logs it. */
export interface PredictionRecord {
  requestId: string;
  item: number;
  modelName: string;
  modelVersion: number;
  inputs: Record<string, unknown>;
  probability: number;
  prediction: string;
  latencyMs: number;
  createdAt: string;
}

export interface FeedbackInput {
  requestId: string;
  item?: number;
  label: string;
}

/** Writes and reads the prediction log and the feedback labels. */
export function createPredictionLog(db: Knex) {
  return {
    /** Inserts a batch in one statement; rows already logged (a retried flush) are skipped. */
    async insertPredictions(records: readonly PredictionRecord[]): Promise<void> {
      if (records.length === 0) return;
      const rows = records.map((r) => ({
        request_id: r.requestId,
        item: r.item,
        model_name: r.modelName,
        model_version: r.modelVersion,
        inputs_json: JSON.stringify(r.inputs),
        probability: r.probability,
        prediction: r.prediction,
        latency_ms: r.latencyMs,
        created_at: r.createdAt,
      }));
      // SQLite caps bound variables per statement; 9 columns × 100 rows stays well inside it.
      for (let start = 0; start < rows.length; start += 100) {
        await db('predictions').insert(rows.slice(start, start + 100)).onConflict(['request_id', 'item']).ignore();
      }
    },

    async countPredictions(modelName?: string): Promise<number> {
      const query = db('predictions').count<{ count: string | number }[]>({ count: '*' });
      if (modelName) query.where({ model_name: modelName });
      return Number((await query)[0]!.count);
    },

    /** Stores the true outcome of a logged prediction; a second label for it is a ConflictError. */
    async recordFeedback({ requestId, item = 0, label }: FeedbackInput): Promise<void> {
      const logged = await db('predictions').where({ request_id: requestId, item }).first('id');
      if (!logged) throw new NotFoundError(`no logged prediction has request_id ${requestId}${item ? ` item ${item}` : ''}`, { field: 'request_id' });
      try {
        await db('feedback').insert({ request_id: requestId, item, label, created_at: nowIso() });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`feedback for request_id ${requestId} was already recorded`, { field: 'request_id' });
        throw error;
      }
    },
  };
}

export type PredictionLog = ReturnType<typeof createPredictionLog>;
