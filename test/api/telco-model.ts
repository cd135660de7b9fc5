import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { ModelCache } from '../../api/model-cache';
import { PredictionLogWriter, type PredictionLogWriterOptions } from '../../api/prediction-log-writer';
import { createPredictionLog } from '../../db';
import { checksumOf } from '../../lib/artifact-checksum';
import { loadPipelineConfig, type PipelineConfig } from '../../lib/pipeline-config';
import { openResources, type KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { readCsvTable, toRecords } from '../../models/data/tabular';
import type { RawRecord } from '../../models/features/raw-values';

export const telcoConfig: PipelineConfig = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
/** The config's source file. */
export const telcoCsv = path.join(projectRoot, 'data/telco-customer-churn.csv');

/** The bundled Telco rows, as training reads them. */
export function telcoRecords(): RawRecord[] {
  return toRecords(readCsvTable(telcoCsv).frame);
}

/**
 * Trains the Telco model through the pipeline's activities (without a Temporal server), registers it and
 * makes it the production version. `rounds` defaults to the config's.
 */
export async function trainTelcoModel(resources: KilnResources, { rounds = telcoConfig.training.rounds }: { rounds?: number } = {}): Promise<{ datasetId: string; version: number }> {
  const activities = createActivities(resources);
  const environment = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => environment.run(activity, ...args) as Promise<R>;
  const config = telcoConfig;
  const target = { column: config.target.column, positive: config.target.positive };
  const { datasetId } = await run(activities.ingest, { datasetName: config.name, source: config.source });
  const { splitKey } = await run(activities.splitDataset, { datasetId, target, ...config.split });
  const trained = await run(activities.trainModel, { datasetId, splitKey, target, exclude: config.features.exclude, maxCategories: config.features.maxCategories, params: config.training.params, rounds });
  const { version } = await resources.registry.registerModelVersion({
    modelName: config.name,
    datasetId,
    params: { ...config.training.params, rounds },
    metrics: { ...trained.trainMetrics, threshold: trained.threshold.threshold },
    modelKey: trained.modelKey,
    pipelineKey: trained.pipelineKey,
    modelChecksum: checksumOf(resources.artifacts.get(trained.modelKey)),
    pipelineChecksum: checksumOf(resources.artifacts.get(trained.pipelineKey)),
    codeVersion: 'test',
    workflowId: 'test',
    runId: `test-${Date.now()}`,
  });
  await resources.registry.promote({ modelName: config.name, version, reason: 'test', actor: 'test' });
  return { datasetId, version };
}

export interface TelcoApp {
  app: ReturnType<typeof createApp>;
  resources: KilnResources;
  models: ModelCache;
  /** Not started: tests flush it when they need the log written. */
  writer: PredictionLogWriter;
  close(): Promise<void>;
}

/**
 * The API (in process, no HTTP server) on a fresh SQLite database serving a freshly trained Telco model;
 * `writer` overrides the prediction log writer's options (by default it writes to that database).
 */
export async function telcoApp({ rounds = 30, maxBodyBytes, writer: writerOptions }: { rounds?: number; maxBodyBytes?: number; writer?: Partial<PredictionLogWriterOptions> } = {}): Promise<TelcoApp> {
  const logger = pino({ level: 'silent' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-api-'));
  const resources = await openResources({ databaseUrl: `sqlite:${path.join(tmp, 'kiln.sqlite')}`, artifactsDir: path.join(tmp, 'artifacts') });
  await trainTelcoModel(resources, { rounds });
  const models = new ModelCache({ registry: resources.registry, artifacts: resources.artifacts, logger });
  const store = createPredictionLog(resources.db);
  const writer = new PredictionLogWriter({ log: store, logger, ...writerOptions });
  const app = createApp({ registry: resources.registry, artifacts: resources.artifacts, models, logger, maxBodyBytes, predictionLog: { writer, store } });
  return {
    app,
    resources,
    models,
    writer,
    async close() {
      models.stop();
      await resources.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
