import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { checksumOf } from '../../lib/artifact-checksum';
import { loadPipelineConfig, type PipelineConfig } from '../../lib/pipeline-config';
import type { KilnResources } from '../../lib/resources';
import { projectRoot } from '../../lib/settings';
import { readCsvTable, toRecords } from '../../models/data/tabular';
import type { RawRecord } from '../../models/features/raw-values';

export const telcoConfig: PipelineConfig = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));

/** The bundled Telco rows, as training reads them. */
export function telcoRecords(): RawRecord[] {
  return toRecords(readCsvTable(telcoConfig.source.path).frame);
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
