import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { XGBoostError } from './errors';
import type { EvalScores } from './eval-log';
import { parseXGBoostParams, type XGBoostParams } from './params-schema';
import { ABORT, CONTINUE, STOP, VERDICT, type DenseMatrixInput, type WorkerJob, type WorkerMessage } from './worker-protocol';

export interface WorkerTrainOptions {
  /** Checked on the calling thread before the worker starts (InputError naming the parameter). */
  params: XGBoostParams;
  dtrain: DenseMatrixInput;
  rounds: number;
  evals?: Array<[string, DenseMatrixInput]>;
  earlyStoppingRounds?: number;
  /**
   * Runs on the calling thread after each round (e.g. to heartbeat a Temporal activity
   * or prune a trial); return `true` (or a promise of it) to stop. The worker waits for
   * the answer before the next round, so stopping is exact.
   */
  onRound?: (round: number, scores: EvalScores) => boolean | void | Promise<boolean | void>;
  /** Model bytes format; default 'json'. */
  format?: 'json' | 'ubj';
  /** Aborting stops after the current round and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface WorkerTrainResult {
  /** The trained model; load it with `Booster.fromBuffer`. */
  model: Buffer;
  history: EvalScores[];
  bestIteration: number;
  bestScore?: number;
}

const SHIM = join(__dirname, 'train-worker-shim.js');

/**
 * Runs `train()` in a worker thread so the event loop stays responsive (lag of a few
 * ms while training), and returns the model bytes and eval history.
 *
 * @example
 * const { model, bestIteration } = await trainInWorker({
 *   params: { objective: 'binary:logistic', eval_metric: 'auc' },
 *   dtrain: { data, rows, cols, labels }, evals: [['valid', valid]], rounds: 1000,
 *   earlyStoppingRounds: 50, onRound: () => { heartbeat(); },
 * });
 */
export function trainInWorker(options: WorkerTrainOptions): Promise<WorkerTrainResult> {
  const control = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  let params: XGBoostParams;
  try {
    params = parseXGBoostParams(options.params);
  } catch (error) {
    return Promise.reject(error);
  }
  const job: WorkerJob = {
    params,
    dtrain: options.dtrain,
    evals: options.evals ?? [],
    rounds: options.rounds,
    earlyStoppingRounds: options.earlyStoppingRounds,
    format: options.format ?? 'json',
    perRoundVerdict: options.onRound !== undefined,
    control,
  };
  const { signal, onRound } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);

  return new Promise<WorkerTrainResult>((resolve, reject) => {
    const worker = new Worker(SHIM, { workerData: job });
    let settled = false;
    const answer = (verdict: number) => {
      Atomics.store(flags, VERDICT, verdict);
      Atomics.notify(flags, VERDICT);
    };
    const onAbort = () => {
      Atomics.store(flags, ABORT, 1);
      answer(STOP);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'round') {
        if (onRound === undefined) return answer(CONTINUE);
        Promise.resolve()
          .then(() => onRound(message.round, message.scores))
          .then(
            (stop) => answer(stop === true ? STOP : CONTINUE),
            (error: unknown) => {
              answer(STOP);
              finish(() => reject(error));
            },
          );
      } else if (message.type === 'done') {
        const { model, history, bestIteration, bestScore, aborted } = message;
        finish(() => {
          if (aborted && signal?.aborted) reject(signal.reason);
          else resolve({ model: Buffer.from(model.buffer, model.byteOffset, model.byteLength), history, bestIteration, bestScore });
        });
      } else {
        finish(() => reject(rebuildError(message)));
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code} before finishing`))));
  });
}

function rebuildError(message: Extract<WorkerMessage, { type: 'error' }>): Error {
  if (message.call !== undefined) return new XGBoostError(message.call, message.detail ?? message.message);
  const Ctor = ({ RangeError, TypeError } as Record<string, ErrorConstructor>)[message.name] ?? Error;
  return new Ctor(message.message);
}
