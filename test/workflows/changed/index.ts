// A deliberately incompatible edit of trainingPipeline (a new activity before ingest), to prove that
// replaying recorded histories catches changes that would break running workflows.
import { proxyActivities } from '@temporalio/workflow';
import type { KilnActivities } from '../../../activities';
import type { TrainingPipelineInput } from '../../../workflows/training-pipeline';

const { splitDataset, ingest } = proxyActivities<KilnActivities>({ startToCloseTimeout: '1 minute' });

export async function trainingPipeline({ config }: TrainingPipelineInput): Promise<unknown> {
  await splitDataset({ datasetId: 'x', target: { column: config.target.column, positive: config.target.positive }, testFraction: 0.2, seed: 1 });
  return ingest({ datasetName: config.name, source: config.source });
}
