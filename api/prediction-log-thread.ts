import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { databaseEngine, type PredictionLog, type RequestLog } from '../db';

/** A log thread on the database of `db` when it is a SQLite file; PostgreSQL inserts do not block the event loop. */
export function predictionLogThreadFor(db: Knex): PredictionLogThread | undefined {
  if (databaseEngine(db) !== 'sqlite') return undefined;
  const { filename } = db.client.config.connection as { filename: string };
  // An in-memory database belongs to its connection: the thread's connection would open another one.
  return filename === ':memory:' ? undefined : new PredictionLogThread(`sqlite:${filename}`);
}

/**
 * Inserts prediction log rows from a worker thread with a connection of its own, turning each request's
 * JSON text into rows there. better-sqlite3 writes synchronously: on the event loop, the thousand rows
 * of one batch request held it for ~50 ms, which every request behind them waited for. A thread that
 * dies is replaced at the next insert, and the inserts it had not answered fail, so the writer keeps
 * their rows queued and retries them.
 */
export class PredictionLogThread implements Pick<PredictionLog, 'insertRequestLogs'> {
  private worker?: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 0;

  /** `databaseUrl`: a SQLite file (`sqlite:<path>`) the API process has already migrated. */
  constructor(private readonly databaseUrl: string) {}

  insertRequestLogs(logs: readonly RequestLog[]): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread().postMessage({ id, logs });
    });
  }

  /** Closes the thread's connection once every insert sent has been answered. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ close: true });
    await exited;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(__dirname, 'prediction-log-thread-shim.js'), { workerData: { databaseUrl: this.databaseUrl } });
    worker.on('message', ({ id, error }: { id: number; error?: string }) => {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (error === undefined) pending?.resolve();
      else pending?.reject(new Error(error));
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(new Error(`the prediction log thread exited (code ${code})`));
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }
}
