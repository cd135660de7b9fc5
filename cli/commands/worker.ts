import { NativeConnection } from '@temporalio/worker';
import type { Command } from 'commander';
import { createLogger } from '../../lib/logger';
import { openResources } from '../../lib/resources';
import { loadSettings } from '../../lib/settings';
import { createKilnWorker } from '../../worker/worker';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker: the training workflows and activities, on KILN_TASK_QUEUE')
    .action(async () => {
      const settings = loadSettings();
      const logger = createLogger('kiln-worker');
      const resources = await openResources(settings);
      const connection = await NativeConnection.connect({ address: settings.temporalAddress });
      const worker = await createKilnWorker({ connection, namespace: settings.temporalNamespace, taskQueue: settings.taskQueue, dependencies: resources });
      logger.info({ taskQueue: settings.taskQueue, temporal: settings.temporalAddress }, 'worker started (Ctrl-C stops it)');
      // The Temporal runtime shuts the worker down on SIGINT/SIGTERM; run() returns once in-flight tasks finish.
      await worker.run();
      await connection.close();
      await resources.close();
    });
}
