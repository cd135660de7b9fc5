import type { Logger } from 'pino';
import type { PredictionLog, PredictionRecord } from '../db';

export interface PredictionLogWriterOptions {
  log: Pick<PredictionLog, 'insertPredictions'>;
  logger: Logger;
  /** Most rows waiting to be written; past it, new rows are dropped and counted. Default 100,000. */
  maxQueue?: number;
  /** Rows per insert. Default 100: SQLite writes block the event loop, so small slices keep requests flowing. */
  batchSize?: number;
  /** How often the queue is flushed. Default 1000 ms. */
  flushMs?: number;
}

/**
 * Writes the prediction log off the request path: requests only append to a bounded in-memory queue,
 * and a timer writes it in batches. When the database is down, rows wait (up to the bound) and are
 * retried at the next tick; a prediction never fails or waits because of its log row.
 */
export class PredictionLogWriter {
  private queue: PredictionRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** Rows dropped because the queue was full. */
  dropped = 0;
  /** Failed write attempts since start. */
  failures = 0;

  constructor(private readonly options: PredictionLogWriterOptions) {}

  get depth(): number {
    return this.queue.length;
  }

  enqueue(records: PredictionRecord[]): void {
    const room = (this.options.maxQueue ?? 100_000) - this.queue.length;
    if (room < records.length) this.dropped += records.length - Math.max(room, 0);
    if (room > 0) this.queue.push(...records.slice(0, room));
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs ?? 1000);
    this.timer.unref();
  }

  /** Writes what is queued; on a database error the rows stay queued for the next attempt. */
  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Stops the timer and writes everything queued, trying a few times before giving up on the rest. */
  async close(attempts = 5): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < attempts && this.queue.length > 0; attempt++) await this.flush();
    if (this.queue.length > 0) {
      this.options.logger.error({ rows: this.queue.length }, 'prediction log rows lost at shutdown: the database did not accept them');
      this.dropped += this.queue.length;
      this.queue = [];
    }
  }

  private async writeQueued(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    let sliceStarted = performance.now();
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, batchSize);
      try {
        await this.options.log.insertPredictions(batch);
      } catch (error) {
        this.failures++;
        this.options.logger.warn({ err: error, queued: this.queue.length }, 'prediction log write failed; will retry');
        return;
      }
      this.queue.splice(0, batch.length);
      // better-sqlite3 writes synchronously: after ~5 ms of writing, let waiting requests run.
      if (performance.now() - sliceStarted > 5) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
  }
}
