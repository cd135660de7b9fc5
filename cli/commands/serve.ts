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
    .action(async () => {
      const settings = loadSettings();
      const logger = createLogger('kiln-api');
      const resources = await openResources(settings);
      const api = await startApiServer({ resources, logger, port: settings.port, defaultModel: settings.defaultModel, adminToken: settings.adminToken });
      logger.info({ url: api.url }, 'API listening (Ctrl-C stops it)');
      await untilSignal();
      await api.close();
      await resources.close();
    });
}
