import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../lib/errors';
import { jsonArrayElements } from '../lib/json-array-elements';
import { databaseEngine } from './connect';
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

/** A logged prediction as monitoring reads it back (inputs left out). */
export interface LoggedPrediction {
  requestId: string;
  item: number;
  modelVersion: number;
  probability: number;
  prediction: string;
  latencyMs: number;
  createdAt: string;
}

/** How many predictions of one model version got a feedback label, and how many of those were right. */
export interface FeedbackAccuracy {
  modelVersion: number;
  labelled: number;
  correct: number;
}

export interface FeedbackInput {
  requestId: string;
  item?: number;
  label: string;
}

/**
 * One answered request's log rows as the API queues them. The inputs stay the request's own JSON text
 * and become one row per record only where rows are inserted (the log thread on SQLite, the writer's
 * turn on the event loop on PostgreSQL): serialising every record again on the request path cost a
 * single prediction as much as scoring it, and a batch's thousand row arrays cost more to hand to the
 * log thread than one string. A batch's records are cut out of its text as the client wrote them
 * (`jsonArrayElements`), so a row's `inputs_json` parses to the record that was scored.
 */
export interface RequestLog {
  requestId: string;
  modelName: string;
  modelVersion: number;
  latencyMs: number;
  createdAt: string;
  /** JSON text: the one record when `items` is absent (logged as item 0), else an array of records. */
  inputsJson: string;
  /** With an array: the positions of the logged records in it (a batch's invalid records are not logged). */
  items?: number[];
  /** Per logged record, in the order of `items`. */
  probabilities: number[];
  predictions: string[];
}

/** How many rows a request log holds. */
export const requestLogRows = (log: RequestLog): number => log.probabilities.length;

const columns = ['request_id', 'item', 'model_name', 'model_version', 'inputs_json', 'probability', 'prediction', 'latency_ms', 'created_at'] as const;

/** A log row as its column values in the order of `columns`, the inputs as JSON: what an insert binds. */
type EncodedPrediction = [requestId: string, item: number, modelName: string, modelVersion: number, inputsJson: string, probability: number, prediction: string, latencyMs: number, createdAt: string];

function encodePrediction(r: PredictionRecord): EncodedPrediction {
  return [r.requestId, r.item, r.modelName, r.modelVersion, JSON.stringify(r.inputs), r.probability, r.prediction, r.latencyMs, r.createdAt];
}

function encodeRequestLog({ requestId, modelName, modelVersion, latencyMs, createdAt, inputsJson, items, probabilities, predictions }: RequestLog): EncodedPrediction[] {
  if (items === undefined) return [[requestId, 0, modelName, modelVersion, inputsJson, probabilities[0]!, predictions[0]!, latencyMs, createdAt]];
  const records = jsonArrayElements(inputsJson);
  return items.map((item, k) => [requestId, item, modelName, modelVersion, records[item]!, probabilities[k]!, predictions[k]!, latencyMs, createdAt]);
}

/** The part of a better-sqlite3 connection the insert uses. */
interface SqliteConnection {
  prepare(sql: string): { run(values: readonly unknown[]): unknown };
  transaction<A extends unknown[]>(body: (...args: A) => void): (...args: A) => void;
}

const sqliteInserts = new WeakMap<SqliteConnection, (rows: readonly EncodedPrediction[]) => void>();

/** One statement prepared per connection, run per row inside one transaction; duplicates are skipped. */
function sqliteInsert(connection: SqliteConnection): (rows: readonly EncodedPrediction[]) => void {
  let insert = sqliteInserts.get(connection);
  if (!insert) {
    const statement = connection.prepare(`INSERT INTO predictions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (request_id, item) DO NOTHING`);
    insert = connection.transaction((rows: readonly EncodedPrediction[]) => {
      for (const row of rows) statement.run(row);
    });
    sqliteInserts.set(connection, insert);
  }
  return insert;
}

/** Writes and reads the prediction log and the feedback labels. */
export function createPredictionLog(db: Knex) {
  const engine = databaseEngine(db);
  /** Inserts encoded rows in one transaction; rows already logged (a retried flush) are skipped. */
  const insertEncodedPredictions = async (rows: readonly EncodedPrediction[]): Promise<void> => {
    if (rows.length === 0) return;
    if (engine === 'sqlite') {
      // better-sqlite3 writes on the event loop, and knex would compile and prepare a new multi-row
      // insert for every call: a statement prepared once costs about half as much per row.
      const connection = (await db.client.acquireConnection()) as SqliteConnection;
      try {
        sqliteInsert(connection)(rows);
      } finally {
        await db.client.releaseConnection(connection);
      }
      return;
    }
    const objects = rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));
    await db.transaction(async (trx) => {
      // 9 columns × 1,000 rows stays well inside PostgreSQL's limit of bound parameters per statement.
      for (let start = 0; start < objects.length; start += 1000) {
        await trx('predictions').insert(objects.slice(start, start + 1000)).onConflict(['request_id', 'item']).ignore();
      }
    });
  };

  return {
    /** Inserts the rows of several requests in one transaction; rows already logged (a retried flush) are skipped. */
    insertRequestLogs(logs: readonly RequestLog[]): Promise<void> {
      return insertEncodedPredictions(logs.flatMap(encodeRequestLog));
    },

    /** Inserts records in one transaction; rows already logged are skipped. */
    insertPredictions(records: readonly PredictionRecord[]): Promise<void> {
      return insertEncodedPredictions(records.map(encodePrediction));
    },

    async countPredictions(modelName?: string): Promise<number> {
      const query = db('predictions').count<{ count: string | number }[]>({ count: '*' });
      if (modelName) query.where({ model_name: modelName });
      return Number((await query)[0]!.count);
    },

    /** The inputs and probabilities of a model version's newest `limit` logged predictions, newest first. */
    async recentInputs(modelName: string, modelVersion: number, limit: number): Promise<Array<{ inputs: Record<string, unknown>; probability: number }>> {
      const rows: Array<{ inputs_json: string; probability: number | string }> = await db('predictions')
        .where({ model_name: modelName, model_version: modelVersion })
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(limit)
        .select('inputs_json', 'probability');
      return rows.map((row) => ({ inputs: JSON.parse(row.inputs_json) as Record<string, unknown>, probability: Number(row.probability) }));
    },

    /** A model's logged predictions at or after `since` (ISO 8601), newest first, at most `limit`. */
    async predictionsSince(modelName: string, since: string, limit: number): Promise<LoggedPrediction[]> {
      const rows: Array<{ request_id: string; item: number; model_version: number; probability: number | string; prediction: string; latency_ms: number | string; created_at: string | Date }> =
        await db('predictions')
          .where({ model_name: modelName })
          .andWhere('created_at', '>=', since)
          .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
          .limit(limit)
          .select('request_id', 'item', 'model_version', 'probability', 'prediction', 'latency_ms', 'created_at');
      return rows.map((row) => ({
        requestId: row.request_id,
        item: Number(row.item),
        modelVersion: Number(row.model_version),
        probability: Number(row.probability),
        prediction: row.prediction,
        latencyMs: Number(row.latency_ms),
        createdAt: (row.created_at instanceof Date ? row.created_at : new Date(row.created_at)).toISOString(),
      }));
    },

    /** Per model version, the predictions that got a feedback label and how many of them were right. */
    async feedbackAccuracy(modelName: string): Promise<FeedbackAccuracy[]> {
      const rows: Array<{ model_version: number; labelled: number | string; correct: number | string }> = await db('predictions as p')
        .join('feedback as f', function () {
          this.on('f.request_id', '=', 'p.request_id').andOn('f.item', '=', 'p.item');
        })
        .where('p.model_name', modelName)
        .groupBy('p.model_version')
        .orderBy('p.model_version')
        .select('p.model_version', db.raw('count(*) as labelled'), db.raw('sum(case when f.label = p.prediction then 1 else 0 end) as correct'));
      return rows.map((row) => ({ modelVersion: Number(row.model_version), labelled: Number(row.labelled), correct: Number(row.correct) }));
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
