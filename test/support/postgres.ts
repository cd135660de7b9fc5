import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL database that belongs to one test run. */
export interface TestPostgres {
  /** `postgres://…/<fresh database>`; trust auth, no password. */
  url: string;
  /** Drops the database (external server) or stops the server and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Gives the tests a fresh PostgreSQL database.
 *
 * - `KILN_TEST_POSTGRES_URL` set (e.g. `postgres://postgres@localhost:5432/postgres`): creates a fresh
 *   database on that server; `stop()` drops it.
 * - otherwise: `initdb` into a fresh temp dir, starts `postgres` on a free port of 127.0.0.1 with its
 *   unix socket inside that dir, durability off (fsync, full-page writes) because nothing here must
 *   survive a crash. As root, both run as the `postgres` OS user, because they refuse to run as root.
 *
 * Throws, never skips, when PostgreSQL is not installed: a registry test that silently did not run
 * would be worse than a red one.
 *
 * @example
 *   let pg: TestPostgres;
 *   before(async () => { pg = await startPostgres(); });
 *   after(() => pg?.stop());
 */
export async function startPostgres(): Promise<TestPostgres> {
  const external = process.env.KILN_TEST_POSTGRES_URL;
  return external ? createDatabaseOn(external) : startLocalServer();
}

/** Creates a uniquely named database on the server of `serverUrl` and returns its URL. */
export async function createDatabaseOn(serverUrl: string): Promise<TestPostgres> {
  const name = `kiln_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE (PostgreSQL 13+) ends the sessions a test left open, e.g. a pool not destroyed after a failure.
    stop: () => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function startLocalServer(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  const owner = serverOwner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-pg-'));
  let child: ChildProcess | undefined;
  const cleanupOnExit = () => {
    child?.kill('SIGQUIT');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test run killed by Ctrl-C or mocha's `exit` must not leave a postmaster behind.
  process.once('exit', cleanupOnExit);
  try {
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    const dataDir = path.join(dir, 'data');
    runAs(owner, path.join(bin, 'initdb'), [
      '-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions',
    ], dir);
    let lastError: unknown;
    // The free port is only free until someone takes it; a lost race is retried on another port.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const started = launch(bin, owner, dataDir, dir, port);
      child = started.child;
      try {
        await waitUntilReady(port, started);
        const db = await createDatabaseOn(`postgres://postgres@127.0.0.1:${port}/postgres`);
        const server = child;
        return {
          url: db.url,
          stop: async () => {
            await stopChild(server);
            process.removeListener('exit', cleanupOnExit);
            fs.rmSync(dir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        lastError = error;
        await stopChild(child);
      }
    }
    throw lastError;
  } catch (error) {
    process.removeListener('exit', cleanupOnExit);
    cleanupOnExit();
    throw error;
  }
}

/** The newest Debian PostgreSQL's bin dir, else a PATH dir with initdb and postgres; else an Error saying how to install. */
export function findPostgresBin(root = '/usr/lib/postgresql', searchPath = process.env.PATH ?? ''): string {
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return path.join(root, versions[0], 'bin');
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres'))) return dir;
  }
  throw new Error(
    'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH): the registry tests need it. ' +
      'Install it with `apt-get install postgresql` (or `scripts/setup.sh --test`), ' +
      'or point KILN_TEST_POSTGRES_URL at a server where the user may create databases.',
  );
}

interface Owner {
  uid: number;
  gid: number;
}

/** initdb and postgres refuse to run as root; as root, they run as the `postgres` OS user. */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, but there is no `postgres` OS user to run initdb and postgres as (apt-get install postgresql creates it)');
  }
}

function runAs(owner: Owner | undefined, file: string, args: string[], cwd: string): void {
  try {
    execFileSync(file, args, { cwd, uid: owner?.uid, gid: owner?.gid, env: serverEnv(), stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`${path.basename(file)} failed: ${stderr.trim() || String(error)}`);
  }
}

function serverEnv(): NodeJS.ProcessEnv {
  // The server must not pick up the caller's PG* variables, locale or HOME (root's, unreadable by postgres).
  return { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C', HOME: os.tmpdir() };
}

interface Launched {
  child: ChildProcess;
  exited: Promise<number | null>;
  log: () => string;
}

function launch(bin: string, owner: Owner | undefined, dataDir: string, socketDir: string, port: number): Launched {
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      '-D', dataDir, '-p', String(port), '-k', socketDir,
      '-c', 'listen_addresses=127.0.0.1',
      // Test data need not survive a crash; these make start-up, CREATE DATABASE and commits fast.
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      '-c', 'max_connections=100', '-c', 'shared_buffers=32MB',
    ],
    { cwd: socketDir, uid: owner?.uid, gid: owner?.gid, env: serverEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, log: () => log };
}

async function waitUntilReady(port: number, server: Launched, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`postgres exited during start-up on port ${port}:\n${server.log()}`);
    try {
      await withClient(`postgres://postgres@127.0.0.1:${port}/postgres`, (c) => c.query('SELECT 1'));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections on port ${port} within ${timeoutMs} ms: ${String(error)}\n${server.log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGINT is PostgreSQL's "fast" shutdown: ends sessions, checkpoints, exits.
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // An 'error' event on an idle client (server shutting down) must not crash the test process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}
