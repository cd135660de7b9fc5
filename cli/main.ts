import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command } from 'commander';
import { KilnError } from '../lib/errors';
import { registerDatasetsCommand } from './commands/datasets';
import { registerDemoCommand } from './commands/demo';
import { registerModelsCommand } from './commands/models';
import { registerRunsCommands } from './commands/runs';
import { registerMonitorCommand } from './commands/monitor';
import { registerResetCommand } from './commands/reset';
import { registerScheduleCommands } from './commands/schedule';
import { registerServeCommand } from './commands/serve';
import { registerServerCommand } from './commands/server';
import { registerStudiesCommand } from './commands/studies';
import { registerTrainCommand } from './commands/train';
import { registerWorkerCommand } from './commands/worker';

// The SDK's own logs (bundler output, worker state changes) only from warnings up, unless LOG_LEVEL asks for more.
const sdkLevel = process.env.LOG_LEVEL === 'debug' ? 'DEBUG' : process.env.LOG_LEVEL === 'info' ? 'INFO' : 'WARN';
Runtime.install({ logger: new DefaultLogger(sdkLevel) });

const program = new Command('kiln').description('Kiln: durable machine learning in production').showHelpAfterError();
for (const register of [registerServerCommand, registerWorkerCommand, registerServeCommand, registerTrainCommand, registerRunsCommands, registerResetCommand, registerDatasetsCommand, registerModelsCommand, registerStudiesCommand, registerScheduleCommands, registerMonitorCommand, registerDemoCommand]) {
  register(program);
}

program.parseAsync(process.argv).then(
  // Close lingering handles (the Temporal runtime's) so the command ends when its work does.
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof KilnError || error instanceof Error ? error.message : String(error);
    console.error(`kiln: ${message}`);
    process.exit(1);
  },
);
