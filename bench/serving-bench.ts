// Serving benchmark: POST /predict on the Telco model vs POST /constant (reads the JSON body, answers a
// constant) on the same server in the same run, loaded by autocannon from another process; with and
// without the prediction log, a batch of 1,000 records, and two cluster workers. Prints a Markdown table.
//   npx tsx bench/serving-bench.ts            (KILN_BENCH_SECONDS=10 KILN_BENCH_CONNECTIONS=50 by default)
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, createPredictionLog } from '../db';
import { openResources } from '../lib/resources';
import { projectRoot } from '../lib/settings';
import { telcoRecords, trainTelcoModel } from '../test/api/telco-model';

const seconds = Number(process.env.KILN_BENCH_SECONDS ?? 10);
const connections = Number(process.env.KILN_BENCH_CONNECTIONS ?? 50);

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-serving-bench-'));
  const databaseUrl = `sqlite:${path.join(tmp, 'kiln.sqlite')}`;
  const artifactsDir = path.join(tmp, 'artifacts');
  const resources = await openResources({ databaseUrl, artifactsDir });
  // Trained as the pipeline does, through the activities, without a Temporal server.
  await trainTelcoModel(resources);
  await resources.close();

  const records = telcoRecords().slice(0, 1000);
  const bodyFile = (name: string, payload: unknown) => {
    const file = path.join(tmp, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(payload));
    return file;
  };
  const single = bodyFile('single', records[0]);
  const batch = bodyFile('batch', records);

  /** Starts the bench server with `workers` processes; resolves once it answers. */
  const startServer = async (workers: number, log: boolean) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(projectRoot, 'bench/serving-bench-server.ts')], {
      env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, KILN_ARTIFACTS: artifactsDir, KILN_BENCH_WORKERS: String(workers), KILN_BENCH_LOG: log ? 'on' : 'off' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const base = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 60_000; ; ) {
      const answer = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fs.readFileSync(single) }).catch(() => undefined);
      if (answer?.status === 200) break;
      if (answer && answer.status !== 200) throw new Error(`predict answered ${answer.status}: ${await answer.text()}`);
      if (Date.now() > deadline) throw new Error('the bench server did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return {
      base,
      async dropped() {
        const text = await (await fetch(`${base}/metrics`)).text();
        return Number(/^kiln_prediction_log_dropped (\d+)/m.exec(text)?.[1] ?? NaN);
      },
      async stop() {
        child.kill('SIGTERM');
        await exited;
      },
    };
  };

  // autocannon runs in a child process, so the load generator does not share the server's event loop.
  const load = async (base: string, route: string, file = single, clients = connections): Promise<Load> => {
    const { stdout: out } = await promisify(execFile)(
      path.join(projectRoot, 'node_modules/.bin/autocannon'),
      ['-j', '-c', String(clients), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-i', file, `${base}${route}`],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    const result = JSON.parse(out);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
  };

  const rows: Array<{ server: string; route: string; result: Load; floor: number }> = [];
  const dropped: string[] = [];
  for (const { workers, log } of [{ workers: 1, log: true }, { workers: 1, log: false }, { workers: 2, log: true }]) {
    const server = await startServer(workers, log);
    const name = `${workers} worker${workers > 1 ? 's' : ''}, log ${log ? 'on' : 'off'}`;
    const constant = await load(server.base, '/constant');
    rows.push({ server: name, route: 'POST /constant', result: constant, floor: constant.rps });
    rows.push({ server: name, route: 'POST /predict', result: await load(server.base, '/predict'), floor: constant.rps });
    // Batches are latency-bound: one connection shows the time of one 1,000-record request.
    if (workers === 1 && log) rows.push({ server: name, route: 'POST /predict/batch (1,000 records, 1 connection)', result: await load(server.base, '/predict/batch', batch, 1), floor: constant.rps });
    if (log) dropped.push(`${await server.dropped()} (${name}${workers > 1 ? ', one worker\'s count' : ''})`);
    await server.stop();
  }

  console.log(`\nServing, ${connections} connections, ${seconds} s each, loopback, one Telco record, autocannon in another process (${os.cpus().length} cores)\n`);
  console.log('| server | route | req/s | p50 ms | p99 ms | errors | vs constant |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { server, route, result: r, floor } of rows) console.log(`| ${server} | ${route} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${(r.rps / floor).toFixed(2)} |`);
  const db = connectDatabase(databaseUrl);
  console.log(`\nprediction log: ${await createPredictionLog(db).countPredictions()} rows written; dropped (queue full): ${dropped.join(', ')}`);
  await db.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
