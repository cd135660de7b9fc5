import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot, type KilnSettings } from './settings';

/**
 * The Temporal CLI binary: KILN_TEMPORAL_CLI, else `temporal` on PATH, else the one the setup script
 * builds into .tools/bin.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KILN_TEMPORAL_CLI) return env.KILN_TEMPORAL_CLI;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  const built = path.join(projectRoot, '.tools', 'bin', 'temporal');
  if (isExecutable(built)) return built;
  throw new Error('the Temporal CLI is not installed: run `npm run setup` (it builds it into .tools/bin) or put `temporal` on PATH');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** True when something accepts TCP connections at `host:port` within the timeout. */
export function isListening(address: string, timeoutMs = 500): Promise<boolean> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at) || 'localhost', port: Number(address.slice(at + 1)) };
}

export interface DevServerOptions {
  /** host:port of the frontend (gRPC). */
  address: string;
  uiPort: number;
  /** SQLite file that keeps workflow histories across restarts. */
  dbFile: string;
  namespace: string;
  /** Where the server's own output goes. */
  logFile: string;
}

export interface DevServer {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The dev server Kiln runs by default: on TEMPORAL_ADDRESS, history in var/temporal.sqlite, UI on port + 1000. */
export function defaultDevServerOptions(settings: Pick<KilnSettings, 'temporalAddress' | 'temporalNamespace' | 'varDir'>, uiPort?: number): DevServerOptions {
  return {
    address: settings.temporalAddress,
    uiPort: uiPort ?? splitAddress(settings.temporalAddress).port + 1000,
    dbFile: path.join(settings.varDir, 'temporal.sqlite'),
    namespace: settings.temporalNamespace,
    logFile: path.join(settings.varDir, 'temporal.log'),
  };
}

/** Starts `temporal server start-dev` and waits until it accepts connections (up to 60 s). */
export async function startDevServer({ address, uiPort, dbFile, namespace, logFile }: DevServerOptions): Promise<DevServer> {
  const { host, port } = splitAddress(address);
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    findTemporalCli(),
    ['server', 'start-dev', '--ip', host === 'localhost' ? '127.0.0.1' : host, '--port', String(port), '--ui-port', String(uiPort),
      '--db-filename', dbFile, '--namespace', namespace, '--log-level', 'warn'],
    { stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await isListening(address))) {
    if (exited) throw new Error(`the Temporal dev server exited at start; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the Temporal dev server did not listen on ${address} within 60 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    process: child,
    stop: async () => {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
