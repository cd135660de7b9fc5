import type { Command } from 'commander';
import { loadSettings } from '../../lib/settings';
import { defaultDevServerOptions, isListening, startDevServer } from '../../lib/temporal-server';
import { untilSignal } from '../signals';

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('run the Temporal dev server (SQLite under var/, Web UI) on TEMPORAL_ADDRESS')
    .option('--ui-port <port>', 'Web UI port (default: the frontend port + 1000)')
    .action(async (options: { uiPort?: string }) => {
      const settings = loadSettings();
      if (await isListening(settings.temporalAddress)) throw new Error(`something already listens on ${settings.temporalAddress}`);
      const uiPort = options.uiPort === undefined ? undefined : Number(options.uiPort);
      if (uiPort !== undefined && !(Number.isInteger(uiPort) && uiPort > 0 && uiPort < 65536)) throw new Error(`--ui-port: expected a port number, got "${options.uiPort}"`);
      const devServer = defaultDevServerOptions(settings, uiPort);
      const server = await startDevServer(devServer);
      console.log(`Temporal dev server on ${settings.temporalAddress}, Web UI http://localhost:${devServer.uiPort} (Ctrl-C stops it)`);
      await untilSignal();
      await server.stop();
    });
}
