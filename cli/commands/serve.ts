import cluster from 'node:cluster';
import type { Command } from 'commander';
import { startApiServer } from '../../api/server';
import { createLogger } from '../../lib/logger';
import { openResources } from '../../lib/resources';
import { loadSettings } from '../../lib/settings';
import { untilSignal } from '../signals';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the production models over HTTP on PORT')
    .option('--workers <count>', 'processes sharing the port (node:cluster), e.g. one per core', '1')
    .action(async (options: { workers: string }) => {
      const workers = Number(options.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new Error(`--workers: expected a whole number from 1 to 256, got "${options.workers}"`);
      if (workers > 1 && cluster.isPrimary) return superviseWorkers(workers);
      const settings = loadSettings();
      const logger = createLogger('kiln-api');
      const resources = await openResources(settings);
      const api = await startApiServer({ resources, logger, port: settings.port, defaultModel: settings.defaultModel, adminToken: settings.adminToken, corsOrigins: settings.corsOrigins });
      logger.info({ url: api.url, pid: process.pid }, 'API listening (Ctrl-C stops it)');
      await untilSignal();
      await api.close();
      await resources.close();
    });
}

/**
 * The primary of `serve --workers N`: migrates the database once, forks N workers that share the port,
 * replaces a worker that dies, and on SIGINT/SIGTERM asks each to drain and waits for all of them.
 */
async function superviseWorkers(count: number): Promise<void> {
  const settings = loadSettings();
  const logger = createLogger('kiln-api');
  // Migrate here, once, rather than in N workers racing at start.
  await (await openResources(settings)).close();
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code, signal }, 'API worker died; starting another');
    fork();
  });
  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count, port: settings.port, pid: process.pid }, 'API workers starting (Ctrl-C stops them)');
  await untilSignal();
  stopping = true;
  const running = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  await Promise.all(
    running.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          worker.process.kill('SIGTERM');
        }),
    ),
  );
}
