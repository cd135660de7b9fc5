// Entry point of the training worker thread (loaded through train-worker-shim.js so
// that tsx compiles it). It runs the ordinary synchronous train(): XGBoost's last error
// is thread-local, and synchronous calls on this one thread keep every message readable.
import { parentPort, workerData } from 'node:worker_threads';
import { DMatrix } from './dmatrix';
import { XGBoostError } from './errors';
import { train } from './train';
import { ABORT, CONTINUE, PENDING, VERDICT, type DenseMatrixInput, type WorkerJob, type WorkerMessage } from './worker-protocol';

function toDMatrix(input: DenseMatrixInput): DMatrix {
  const { data, rows, cols, ...options } = input;
  return DMatrix.fromDense(data, rows, cols, options);
}

function run(job: WorkerJob, post: (message: WorkerMessage) => void): void {
  const control = new Int32Array(job.control);
  const matrices: DMatrix[] = [];
  try {
    const dtrain = toDMatrix(job.dtrain);
    matrices.push(dtrain);
    const evals = job.evals.map(([name, input]): [string, DMatrix] => {
      const dmat = toDMatrix(input);
      matrices.push(dmat);
      return [name, dmat];
    });
    let aborted = false;
    const result = train({
      params: job.params,
      dtrain,
      evals,
      rounds: job.rounds,
      earlyStoppingRounds: job.earlyStoppingRounds,
      onRound: (round, scores) => {
        if (Atomics.load(control, ABORT) !== 0) {
          aborted = true;
          return true;
        }
        if (!job.perRoundVerdict) return false;
        Atomics.store(control, VERDICT, PENDING);
        post({ type: 'round', round, scores });
        // Blocking is the point: the round's verdict decides whether the next round runs,
        // which keeps pruning exact (same rounds as train() on the main thread).
        Atomics.wait(control, VERDICT, PENDING);
        const verdict = Atomics.load(control, VERDICT);
        if (Atomics.load(control, ABORT) !== 0) aborted = true;
        return verdict !== CONTINUE || aborted;
      },
    });
    try {
      // Own ArrayBuffer (not Node's shared Buffer pool), so it can be transferred.
      const model = new Uint8Array(result.booster.save(job.format));
      const { history, bestIteration, bestScore } = result;
      post({ type: 'done', model, history, bestIteration, bestScore, aborted });
    } finally {
      result.booster.dispose();
    }
  } catch (error) {
    const e = error as Error;
    const extra = e instanceof XGBoostError ? { call: e.call, detail: e.detail } : {};
    post({ type: 'error', name: e.name ?? 'Error', message: e.message ?? String(error), ...extra });
  } finally {
    for (const m of matrices) m.dispose();
  }
}

if (parentPort !== null) {
  const port = parentPort;
  run(workerData as WorkerJob, (message) => {
    if (message.type === 'done') port.postMessage(message, [message.model.buffer as ArrayBuffer]);
    else port.postMessage(message);
  });
}
