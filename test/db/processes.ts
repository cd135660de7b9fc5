import { spawn } from 'node:child_process';
import path from 'node:path';

export type ChildOutcome = { ok: true; result: unknown } | { ok: false; name: string; message: string };

const childScript = path.join(__dirname, 'fixtures', 'registry-child.ts');

/**
 * Runs one child process per argument list against `url`, waits until every one is connected, then
 * releases them all at once, so that their operations overlap; returns each one's outcome in order.
 */
export async function raceInProcesses(url: string, argLists: string[][], timeoutMs = 60_000): Promise<ChildOutcome[]> {
  const children = argLists.map((args) =>
    spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), childScript, url, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const timer = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), timeoutMs);
  try {
    const outputs = children.map((child) => {
      let stdout = '';
      let stderr = '';
      let markReady: () => void;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready\n')) markReady();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const done = new Promise<ChildOutcome>((resolve, reject) =>
        child.once('exit', (code) => {
          const line = stdout.split('\n').find((l) => l.startsWith('{'));
          if (code === 0 && line) resolve(JSON.parse(line) as ChildOutcome);
          else reject(new Error(`child exited with ${code}: ${stderr || stdout}`));
        }),
      );
      done.catch(() => {}); // observed below; this only keeps a crash from being reported twice
      return { ready: Promise.race([ready, done.then(() => undefined)]), done };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const child of children) child.stdin.write('go\n');
    return await Promise.all(outputs.map((o) => o.done));
  } catch (error) {
    children.forEach((c) => c.kill('SIGKILL'));
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
