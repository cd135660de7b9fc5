import path from 'node:path';
import type { Command } from 'commander';
import { loadSettings } from '../../lib/settings';
import { isListening, splitAddress, startDevServer } from '../../lib/temporal-server';
import { untilSignal } from '../signals';

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('run the Temporal dev server (SQLite under var/, Web UI) on TEMPORAL_ADDRESS')
    .option('--ui-port <port>', 'Web UI port (default: the frontend port + 1000)')
    .action(async (options: { uiPort?: string }) => {
      const settings = loadSettings();
      if (await isListening(settings.temporalAddress)) throw new Error(`something already listens on ${settings.temporalAddress}`);
      const uiPort = Number(options.uiPort ?? splitAddress(settings.temporalAddress).port + 1000);
      const server = await startDevServer({
        address: settings.temporalAddress,
        uiPort,
        dbFile: path.join(settings.varDir, 'temporal.sqlite'),
        namespace: settings.temporalNamespace,
        logFile: path.join(settings.varDir, 'temporal.log'),
      });
      console.log(`Temporal dev server on ${settings.temporalAddress}, Web UI http://localhost:${uiPort} (Ctrl-C stops it)`);
      await untilSignal();
      await server.stop();
    });
}
