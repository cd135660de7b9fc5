// Serving benchmark: POST /predict on the Telco model vs two routes that read the JSON body and answer a
// constant, on the same server in the same run, loaded by autocannon from another process:
// /constant/api, a route of the API's app (behind its middleware: request ids, metrics, body limit, as
// every route of the server), and /constant, the same handler on a bare Hono app beside it (the floor),
// so the table shows what the middleware costs and what a prediction costs. With and without the
// prediction log, at saturation and at a fixed offered rate (open loop, from this process: its own pauses
// show in the p99 of both routes), a batch of 1,000 records, and two cluster workers. Server CPU is the
// server processes' user+system time per answered request (Linux /proc), which the load generator
// sharing the cores disturbs less than req/s. Prints a Markdown table.
//   npx tsx bench/serving-bench.ts   (KILN_BENCH_SECONDS=5 KILN_BENCH_ROUNDS=3 KILN_BENCH_CONNECTIONS=50 by default)
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

const seconds = Number(process.env.KILN_BENCH_SECONDS ?? 5);
const rounds = Number(process.env.KILN_BENCH_ROUNDS ?? 3);
const connections = Number(process.env.KILN_BENCH_CONNECTIONS ?? 50);
/** Offered rate of the open-loop rows, requests per second. */
const openLoopRate = 500;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU per answered request, µs; NaN where /proc is not available. */
  cpuUs: number;
}

/** User+system CPU seconds of a process and its descendants so far (Linux /proc; NaN elsewhere). */
function processTreeCpuSeconds(pid: number): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (USER_HZ, 100 on Linux); the name in
    // parentheses may hold spaces, so count from its closing parenthesis.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    const children = fs.readdirSync(`/proc/${pid}/task`).flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
    return own + children.reduce((sum, child) => sum + processTreeCpuSeconds(Number(child)), 0);
  } catch {
    return NaN;
  }
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
      cpuSeconds: () => processTreeCpuSeconds(child.pid!),
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
  const autocannon = async (base: string, route: string, file: string, clients: number, duration: number) => {
    const { stdout: out } = await promisify(execFile)(
      path.join(projectRoot, 'node_modules/.bin/autocannon'),
      ['-j', '-c', String(clients), '-d', String(duration), '-m', 'POST', '-H', 'content-type=application/json', '-i', file, `${base}${route}`],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    return JSON.parse(out);
  };
  const load = async (server: { base: string; cpuSeconds(): number }, route: string, { file = single, clients = connections }: { file?: string; clients?: number } = {}): Promise<Load> => {
    const cpuBefore = server.cpuSeconds();
    const result = await autocannon(server.base, route, file, clients, seconds);
    const cpuUs = ((server.cpuSeconds() - cpuBefore) * 1e6) / result.requests.total;
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, cpuUs };
  };
  /**
   * An open loop: requests start on a fixed schedule whether or not earlier ones have answered, and each
   * latency counts from its scheduled start, so a stall shows in the percentiles instead of delaying the
   * requests behind it (autocannon's rate limit sends each second's quota at once, in a burst).
   */
  const openLoop = async (server: { base: string; cpuSeconds(): number }, route: string, file: string, rate: number): Promise<Load> => {
    const body = fs.readFileSync(file);
    // A second's worth of requests first, one at a time and unmeasured, while this process's HTTP client warms up.
    for (let k = 0; k < rate; k++) await fetch(`${server.base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((response) => response.arrayBuffer());
    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    const cpuBefore = server.cpuSeconds();
    const inFlight: Array<Promise<void>> = [];
    for (let k = 0; k < rate * seconds; k++) {
      const due = started + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        fetch(`${server.base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          .then(async (response) => {
            await response.arrayBuffer();
            if (response.status !== 200) errors++;
            latencies.push(performance.now() - due);
          })
          .catch(() => void errors++),
      );
    }
    await Promise.all(inFlight);
    const percentile = (q: number) => Math.round([...latencies].sort((a, b) => a - b)[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
    const rps = latencies.length / ((performance.now() - started) / 1000);
    return { rps, p50: percentile(0.5), p99: percentile(0.99), errors, cpuUs: ((server.cpuSeconds() - cpuBefore) * 1e6) / (rate * seconds) };
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  // Each route is warmed up for 2 s first (JIT compilation and lazy loading otherwise land in the first
  // second's p99), then loaded in `rounds` rounds that alternate the routes, so a change in the machine's
  // speed (other tenants on the 2 cores) falls on both sides of a ratio; the table shows medians.
  const alternate = async (server: { base: string; cpuSeconds(): number }, routes: string[]): Promise<Load[][]> => {
    for (const route of routes) await autocannon(server.base, route, single, connections, 2);
    const byRoute: Load[][] = routes.map(() => []);
    for (let round = 0; round < rounds; round++) for (const [i, route] of routes.entries()) byRoute[i]!.push(await load(server, route));
    return byRoute;
  };
  const summary = (loads: Load[]): Load => ({
    rps: median(loads.map((l) => l.rps)), p50: median(loads.map((l) => l.p50)), p99: median(loads.map((l) => l.p99)),
    errors: loads.reduce((sum, l) => sum + l.errors, 0), cpuUs: median(loads.map((l) => l.cpuUs)),
  });

  // In this order: the ratios below index the two constant routes by it.
  const routes = [
    { path: '/constant', label: 'POST /constant (bare Hono app)' },
    { path: '/constant/api', label: 'POST /constant/api (the API app, behind its middleware)' },
    { path: '/predict', label: 'POST /predict' },
  ];
  const rows: Array<{ server: string; route: string; result: Load; vsApi?: number; vsBare?: number }> = [];
  const dropped: string[] = [];
  for (const { workers, log } of [{ workers: 1, log: true }, { workers: 1, log: false }, { workers: 2, log: true }]) {
    const server = await startServer(workers, log);
    const name = `${workers} worker${workers > 1 ? 's' : ''}, log ${log ? 'on' : 'off'}`;
    const loads = await alternate(server, routes.map((route) => route.path));
    // Ratios are taken round by round (each against the constant routes of its own round), then the median.
    const ratio = (i: number, baseline: number) => median(loads[i]!.map((l, round) => l.rps / loads[baseline]![round]!.rps));
    routes.forEach(({ label }, i) => rows.push({ server: name, route: label, result: summary(loads[i]!), vsApi: i > 1 ? ratio(i, 1) : undefined, vsBare: i > 0 ? ratio(i, 0) : undefined }));
    if (workers === 1 && log) {
      // Latency when the server is not saturated: at 50 connections, a closed loop's latency is mostly
      // queueing (connections / throughput), for the constant route as well.
      rows.push({ server: name, route: `POST /predict, open loop at ${openLoopRate} req/s`, result: await openLoop(server, '/predict', single, openLoopRate) });
      rows.push({ server: name, route: `POST /constant, open loop at ${openLoopRate} req/s`, result: await openLoop(server, '/constant', single, openLoopRate) });
    }
    const droppedAfterPredict = log ? await server.dropped() : undefined;
    // Batches are latency-bound: one connection shows the time of one 1,000-record request. Back to back
    // with the log on, they are paced to its write rate (PredictionLogWriter.room) rather than dropping rows.
    if (workers === 1) {
      await autocannon(server.base, '/predict/batch', batch, 1, 2);
      rows.push({ server: name, route: 'POST /predict/batch (1,000 records, 1 connection, back to back)', result: await load(server, '/predict/batch', { file: batch, clients: 1 }) });
    }
    if (log) dropped.push(`${name}${workers > 1 ? " (one worker's count)" : ''}: ${droppedAfterPredict} after /predict${workers === 1 ? `, ${await server.dropped()} after the batches` : ''}`);
    await server.stop();
  }

  console.log(`\nServing, ${connections} connections, ${rounds} rounds of ${seconds} s (medians), loopback, one Telco record, autocannon in another process (${os.cpus().length} cores)\n`);
  console.log('| server | route | req/s | p50 ms | p99 ms | errors | server CPU µs/req | vs /constant/api | vs /constant |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const fixed = (ratio: number | undefined) => (ratio === undefined ? '' : ratio.toFixed(2));
  for (const { server, route, result: r, vsApi, vsBare } of rows) {
    console.log(`| ${server} | ${route} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuUs.toFixed(0)} | ${fixed(vsApi)} | ${fixed(vsBare)} |`);
  }
  const rate = (server: string, route: string) => rows.find((row) => row.server === server && row.route === route)!.result.rps;
  const scaling = (route: string) => (rate('2 workers, log on', route) / rate('1 worker, log on', route)).toFixed(2);
  console.log(`\n2 workers against 1 (log on), req/s: POST /predict x${scaling(routes[2]!.label)}, POST /constant/api x${scaling(routes[1]!.label)} (autocannon shares the ${os.cpus().length} cores)`);
  const db = connectDatabase(databaseUrl);
  console.log(`\nprediction log: ${await createPredictionLog(db).countPredictions()} rows written; dropped (queue full): ${dropped.join('; ')}`);
  await db.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
