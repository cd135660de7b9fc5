import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type { Command } from 'commander';
import { startApiServer } from '../../api/server';
import { createLogger } from '../../lib/logger';
import { loadPipelineConfig } from '../../lib/pipeline-config';
import { openResources } from '../../lib/resources';
import { loadSettings, projectRoot, workflowUiLink } from '../../lib/settings';
import { connectClient } from '../../lib/temporal-client';
import { defaultDevServerOptions, isListening, startDevServer, type DevServer } from '../../lib/temporal-server';
import { startTraining } from '../../lib/training-client';
import { readCsvTable, toRecords } from '../../models/data/tabular';
import { createKilnWorker } from '../../worker/worker';
import { formatTrainingResult } from '../format';
import { untilSignal } from '../signals';

const demoConfig = path.join(projectRoot, 'data', 'pipelines', 'telco-churn.yaml');

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the whole stack on embedded defaults: dev server, worker, a training run on the Telco data, the API')
    .action(async () => {
      const settings = loadSettings();
      const logger = createLogger('kiln-demo');
      const config = loadPipelineConfig(demoConfig);
      const stops: Array<() => Promise<unknown>> = [];
      const stopAll = async () => {
        for (const stop of stops.reverse()) await stop().catch((error) => logger.warn({ err: error }, 'shutdown step failed'));
      };
      try {
        let devServer: DevServer | undefined;
        if (await isListening(settings.temporalAddress)) {
          console.log(`using the Temporal server already on ${settings.temporalAddress}`);
        } else {
          console.log(`starting the Temporal dev server on ${settings.temporalAddress} …`);
          devServer = await startDevServer(defaultDevServerOptions(settings));
          stops.push(devServer.stop);
        }

        const resources = await openResources(settings);
        stops.push(resources.close);
        const connection = await NativeConnection.connect({ address: settings.temporalAddress });
        stops.push(() => connection.close());
        const worker = await createKilnWorker({ connection, namespace: settings.temporalNamespace, taskQueue: settings.taskQueue, dependencies: resources });
        const running = worker.run();
        stops.push(async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
        });

        const client = await connectClient(settings);
        stops.push(() => client.connection.close());
        const handle = await startTraining(client, settings, config);
        const runLink = workflowUiLink(settings, handle.workflowId, handle.firstExecutionRunId);
        console.log(`training ${config.name}: workflow ${handle.workflowId}\n  ${runLink}`);
        console.log(formatTrainingResult(await handle.result()));

        const api = await startApiServer({ resources, logger, port: settings.port, defaultModel: settings.defaultModel, adminToken: settings.adminToken, corsOrigins: settings.corsOrigins });
        stops.push(api.close);
        // The demo's config reads one CSV file: its first row makes the example request.
        const sample = toRecords(readCsvTable((config.source as { path: string }).path).frame.head(1))[0]!;
        delete sample[config.target.column];
        console.log(
          [
            '',
            'Kiln is up:',
            `  Temporal Web UI  ${settings.temporalUiUrl}  (this run: ${runLink})`,
            `  API              ${api.url}   docs: ${api.url}/docs   model: ${api.url}/models/${config.name}`,
            '  Try:',
            `    curl -s ${api.url}/predict -H 'content-type: application/json' \\`,
            `      -d '${JSON.stringify(sample)}'`,
            '',
            'Ctrl-C stops everything the demo started.',
          ].join('\n'),
        );
        await Promise.race([untilSignal(), running]);
        console.log('stopping …');
      } finally {
        await stopAll();
      }
    });
}
