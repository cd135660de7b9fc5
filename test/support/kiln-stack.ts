import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { openResources, type KilnResources } from '../../lib/resources';
import { findTemporalCli } from '../../lib/temporal-server';
import { createKilnWorker, type KilnWorkerOptions } from '../../worker/worker';

/** A real dev server, a SQLite database and artifact store in a temp dir, and a running Kiln worker. */
export interface KilnTestStack {
  env: TestWorkflowEnvironment;
  resources: KilnResources;
  tmp: string;
  taskQueue: string;
  close(): Promise<void>;
}

export async function startKilnTestStack(name: string, { overrides }: Pick<KilnWorkerOptions, 'overrides'> = {}): Promise<KilnTestStack> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `kiln-${name}-`));
  const taskQueue = `${name}-${process.pid}`;
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  const resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
  const worker: Worker = await createKilnWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, dependencies: resources, overrides });
  const running = worker.run();
  return {
    env, resources, tmp, taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await resources.close();
      await env.teardown();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
