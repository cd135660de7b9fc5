// Optuna's TPESampler as an ask/tell peer (bench/tuning-bench.py), for side-by-side tables on the very same
// objective functions. Which Python: KILN_OPTUNA_PYTHON, else a venv at /tmp/kiln-optuna, else python3.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { JsonValue, Params } from '../models/tuning';

export interface OptunaPeer {
  version: string;
  study(seed: number, direction: 'minimize' | 'maximize', space: Record<string, JsonValue>): Promise<void>;
  ask(): Promise<{ number: number; params: Params }>;
  tell(number: number, outcome: { value: number } | { pruned: true }): Promise<void>;
  /** Milliseconds of each of `repeats` asks after `trials` completed ones (on Python's side of the pipe). */
  askOverhead(space: Record<string, JsonValue>, trials: number, repeats: number): Promise<number[]>;
  close(): void;
}

function python(): string {
  if (process.env.KILN_OPTUNA_PYTHON) return process.env.KILN_OPTUNA_PYTHON;
  return fs.existsSync('/tmp/kiln-optuna/bin/python') ? '/tmp/kiln-optuna/bin/python' : 'python3';
}

/** Starts the peer, or returns why it cannot (optuna not installed). */
export function startOptuna(): OptunaPeer | string {
  const executable = python();
  const probe = spawnSync(executable, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return `optuna is not installed for ${executable} (python3 -m venv /tmp/kiln-optuna && /tmp/kiln-optuna/bin/pip install optuna); its column is left out.`;
  const child: ChildProcessWithoutNullStreams = spawn(executable, [path.join(__dirname, 'tuning-bench.py')]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const call = async <T>(request: Record<string, unknown>): Promise<T> => {
    child.stdin.write(`${JSON.stringify(request)}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error(`optuna peer ended: ${stderr.trim().split('\n').pop()}`);
    return JSON.parse(value as string) as T;
  };
  return {
    version: probe.stdout.trim(),
    study: (seed, direction, space) => call({ op: 'study', seed, direction, space }),
    ask: () => call({ op: 'ask' }),
    tell: (number, outcome) => call({ op: 'tell', number, ...('pruned' in outcome ? { state: 'pruned' } : { value: outcome.value }) }),
    askOverhead: async (space, trials, repeats) => (await call<{ ms: number[] }>({ op: 'ask_overhead', space, trials, repeats })).ms,
    close: () => child.stdin.end(),
  };
}
