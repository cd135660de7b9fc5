import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createPredictionLog } from '../../db';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { readCsvTable, toRecords } from '../../models/data/tabular';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

// `kiln serve --workers 2` as a user runs it: two processes share the port, and SIGTERM drains both
// and flushes every logged prediction.
describe('kiln serve --workers', function () {
  this.timeout(120_000);
  let tmp: string;
  let resources: KilnResources;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-serve-'));
    resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
    const activities = createActivities(resources);
    const environment = new MockActivityEnvironment();
    const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;
    const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
    const target = { column: config.target.column, positive: config.target.positive };
    const { datasetId } = await run(activities.ingest, { datasetName: config.name, source: config.source });
    const { splitKey } = await run(activities.splitDataset, { datasetId, target, ...config.split });
    const trained = await run(activities.trainModel, { datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: 50, params: config.training.params, rounds: 50 });
    const version = await run(activities.registerModelVersion, { modelName: config.name, datasetId, params: {}, metrics: {}, modelKey: trained.modelKey, pipelineKey: trained.pipelineKey });
    await resources.registry.promote({ modelName: config.name, version: version.version, reason: 'test', actor: 'test' });
  });

  after(async () => {
    await resources.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('spreads requests over two processes and drains both on SIGTERM, losing no log row', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/kiln.js'), 'serve', '--workers', '2'], {
      env: { ...process.env, PORT: String(port), DATABASE_URL: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, KILN_ARTIFACTS: path.join(tmp, 'artifacts'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const base = `http://127.0.0.1:${port}`;
    const pids = new Set<number>();
    const deadline = Date.now() + 60_000;
    while (pids.size < 2 && Date.now() < deadline) {
      try {
        const health = (await (await fetch(`${base}/health`, { headers: { connection: 'close' } })).json()) as { pid: number };
        pids.add(health.pid);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    assert.equal(pids.size, 2, 'two worker processes answered');
    const { Churn, ...record } = toRecords(readCsvTable(path.join(projectRoot, 'data/telco-customer-churn.csv')).frame.head(1))[0]!;
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(record) });
      assert.equal(response.status, 200);
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(await createPredictionLog(resources.db).countPredictions('telco-churn'), 10);
  });
});
