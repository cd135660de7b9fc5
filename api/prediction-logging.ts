import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createPredictionLog, type PredictionLog } from '../db';
import { predictionLogThreadFor } from './prediction-log-thread';
import { PredictionLogWriter } from './prediction-log-writer';

export interface PredictionLogging {
  /** Feedback and the monitoring reads, on the process's own connection. */
  store: PredictionLog;
  writer: PredictionLogWriter;
  /** Writes what is queued (see `PredictionLogWriter.close`) and closes the log thread. */
  close(): Promise<void>;
}

/**
 * The prediction log of an API process. On a SQLite file the writer's inserts run on a thread of their
 * own, in transactions of 1,000 rows (cheaper per row than small ones); on the event loop (PostgreSQL,
 * where inserts are network I/O) it writes slices of 100 rows so requests keep flowing between them.
 */
export function openPredictionLogging(db: Knex, { logger, flushMs }: { logger: Logger; flushMs?: number }): PredictionLogging {
  const store = createPredictionLog(db);
  const thread = predictionLogThreadFor(db);
  const writer = new PredictionLogWriter({ log: thread ?? store, logger, flushMs, batchSize: thread ? 1000 : 100 });
  return {
    store,
    writer,
    async close() {
      await writer.close();
      await thread?.close();
    },
  };
}
