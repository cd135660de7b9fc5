import type { Logger } from 'pino';
import { requestLogRows, type PredictionLog, type RequestLog } from '../db';

export interface PredictionLogWriterOptions {
  log: Pick<PredictionLog, 'insertRequestLogs'>;
  logger: Logger;
  /** Most rows waiting to be written; past it, new rows are dropped and counted. Default 100,000. */
  maxQueue?: number;
  /** Rows per insert, or more: a request's rows are never split. Default 100. */
  batchSize?: number;
  /** How often the queue is flushed when fewer than `batchSize` rows wait. Default 1000 ms. */
  flushMs?: number;
  /** Longest `room()` waits for a database that neither writes nor fails. Default 1000 ms. */
  maxPaceMs?: number;
}

/**
 * Writes the prediction log off the request path: requests only append their `RequestLog` (the body's
 * JSON text and the scores: a few strings and numbers per request, whatever its size) to a queue bounded
 * in rows, written in batches as soon as a batch is full (so entries leave the heap young), and by a
 * timer for the rest. When the database is down, rows wait (up to the bound) and are retried at the next
 * tick; what does not fit is dropped and counted, and no prediction fails because of its log row.
 *
 * Bulk producers (batch requests) also await `room()`: a sustained stream of rows faster than the
 * database writes is then paced to its write rate instead of overflowing the queue, so rows are only
 * dropped in an outage.
 */
export class PredictionLogWriter {
  private queue: RequestLog[] = [];
  /** Rows in `queue`. */
  private rows = 0;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private flushScheduled = false;
  /** False from a failed write until the next successful one: an outage, when nothing waits for room. */
  private healthy = true;
  /** Settles the pending `room()` promise; undefined when none is pending. */
  private releaseRoom?: () => void;
  private roomPromise?: Promise<void>;
  /** Rows dropped because the queue was full. */
  dropped = 0;
  /** Failed write attempts since start. */
  failures = 0;

  constructor(private readonly options: PredictionLogWriterOptions) {}

  /** Rows waiting to be written. */
  get depth(): number {
    return this.rows;
  }

  private get maxQueue(): number {
    return this.options.maxQueue ?? 100_000;
  }

  /** Queues a request's rows; those past the bound are dropped and counted. */
  enqueue(log: RequestLog): void {
    const rows = requestLogRows(log);
    const room = Math.max(this.maxQueue - this.rows, 0);
    if (room < rows) {
      this.dropped += rows - room;
      if (room === 0) return;
      log = { ...log, items: log.items?.slice(0, room), probabilities: log.probabilities.slice(0, room), predictions: log.predictions.slice(0, room) };
    }
    this.queue.push(log);
    this.rows += Math.min(rows, room);
    if (this.healthy && !this.flushScheduled && this.rows >= (this.options.batchSize ?? 100)) {
      // After the current request has answered, not inside it.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  /**
   * Undefined while the queue is under half its bound; otherwise a promise that settles once it is again,
   * or at once when writes fail (an outage), or after `maxPaceMs`.
   */
  room(): Promise<void> | undefined {
    if (!this.healthy || this.rows < this.maxQueue / 2) return undefined;
    if (!this.roomPromise) {
      this.roomPromise = new Promise<void>((resolve) => {
        const timeout = setTimeout(() => this.settleRoom(), this.options.maxPaceMs ?? 1000);
        this.releaseRoom = () => {
          clearTimeout(timeout);
          resolve();
        };
      });
    }
    return this.roomPromise;
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
    for (let attempt = 0; attempt < attempts && this.rows > 0; attempt++) await this.flush();
    if (this.rows > 0) {
      this.options.logger.error({ rows: this.rows }, 'prediction log rows lost at shutdown: the database did not accept them');
      this.dropped += this.rows;
      this.queue = [];
      this.rows = 0;
    }
    this.settleRoom();
  }

  private settleRoom(): void {
    const release = this.releaseRoom;
    this.releaseRoom = undefined;
    this.roomPromise = undefined;
    release?.();
  }

  /**
   * Writes the queue in order, two batches in flight so that a log thread always has the next one while
   * this thread handles the answer to the last. Requests leave the queue as their batch is confirmed;
   * after a failure the rest stay queued, including those of a later batch that was written: inserts
   * skip rows already logged, so writing them again is harmless.
   */
  private async writeQueued(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    // Settled results, not rejections: a second batch failing while the first is awaited must not go unhandled.
    const inFlight: Array<Promise<{ written: number; rows: number } | { error: unknown }>> = [];
    /** Requests sent and not yet confirmed, from the front of the queue. */
    let sent = 0;
    let sliceStarted = performance.now();
    while (this.queue.length > sent || inFlight.length > 0) {
      while (inFlight.length < 2 && this.queue.length > sent) {
        let rows = 0;
        const first = sent;
        while (sent < this.queue.length && rows < batchSize) rows += requestLogRows(this.queue[sent++]!);
        const batch = this.queue.slice(first, sent);
        inFlight.push(this.options.log.insertRequestLogs(batch).then(() => ({ written: batch.length, rows }), (error: unknown) => ({ error })));
      }
      const result = await inFlight.shift()!;
      if ('error' in result) {
        await Promise.all(inFlight);
        this.failures++;
        this.healthy = false;
        this.settleRoom();
        this.options.logger.warn({ err: result.error, queued: this.rows }, 'prediction log write failed; will retry');
        return;
      }
      this.healthy = true;
      this.queue.splice(0, result.written);
      this.rows -= result.rows;
      sent -= result.written;
      if (this.rows < this.maxQueue / 2) this.settleRoom();
      // better-sqlite3 writes synchronously: after ~5 ms of writing, let waiting requests run.
      if (performance.now() - sliceStarted > 5) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
  }
}
