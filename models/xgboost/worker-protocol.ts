import type { DMatrixOptions } from './dmatrix';
import type { EvalScores } from './eval-log';
import type { XGBoostParams } from './params-schema';

/** A dense matrix that can cross a thread boundary (a DMatrix cannot). */
export interface DenseMatrixInput extends DMatrixOptions {
  /** Row-major values, NaN = missing. Copied to the worker; the caller keeps its array. */
  data: Float32Array;
  rows: number;
  cols: number;
}

/** What the main thread hands the worker through `workerData`. */
export interface WorkerJob {
  params: XGBoostParams;
  dtrain: DenseMatrixInput;
  evals: Array<[string, DenseMatrixInput]>;
  rounds: number;
  earlyStoppingRounds?: number;
  format: 'json' | 'ubj';
  /** Whether the main thread wants to see (and may veto) every round. */
  perRoundVerdict: boolean;
  /** Int32Array over it: [0] verdict for the current round, [1] abort requested. */
  control: SharedArrayBuffer;
}

// Values of control[VERDICT]: the worker resets it to PENDING before reporting a round,
// then sleeps on it until the main thread writes CONTINUE or STOP.
export const VERDICT = 0;
export const ABORT = 1;
export const PENDING = 0;
export const CONTINUE = 1;
export const STOP = 2;

export type WorkerMessage =
  | { type: 'round'; round: number; scores: EvalScores }
  | { type: 'done'; model: Uint8Array; history: EvalScores[]; bestIteration: number; bestScore?: number; aborted: boolean }
  | { type: 'error'; name: string; message: string; call?: string; detail?: string };
