import type { Client, WorkflowHandle } from '@temporalio/client';
import { studyProgressQuery, type StudyProgress } from '../workflows/tuning-study';
import { progressQuery, type TrainingPipelineResult, type TrainingProgress, type TrainingStage, type trainingPipeline } from '../workflows/training-pipeline';

const stages: TrainingStage[] = ['ingest', 'validate', 'split', 'features', 'tune', 'train', 'evaluate', 'register', 'promote', 'done'];
const barWidth = 24;

/** One status line: a bar over the stages (the tuning stage fills by trials done), the stage, and the study's figures. */
export function formatProgress(progress: TrainingProgress, study: StudyProgress | undefined, elapsedMs: number): string {
  const index = stages.indexOf(progress.stage);
  const within = progress.stage === 'tune' && study && study.total > 0 ? study.done / study.total : 0;
  const share = progress.stage === 'done' ? 1 : (index + within) / (stages.length - 1);
  const filled = Math.round(share * barWidth);
  const details = progress.stage === 'tune' && study
    ? ` ${study.done}/${study.total} trials${study.running ? `, ${study.running} running` : ''}${study.bestValue === null ? '' : `, best ${study.bestValue.toFixed(4)}`}`
    : '';
  // Once they are built, whether an earlier run's features were reused (unchanged data and config) or fitted.
  const features = progress.features && index > stages.indexOf('features')
    ? ` · features ${progress.features.reused ? 'reused' : 'fitted'} (${(progress.features.ms / 1000).toFixed(1)}s)`
    : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${progress.stage}${details}${progress.version ? ` (version ${progress.version})` : ''}${features} · ${(elapsedMs / 1000).toFixed(0)}s`;
}

/**
 * Waits for a training run, drawing its progress from the `progress` queries: redrawn in place on a
 * terminal, a line per change otherwise (logs, CI).
 */
export async function followTraining(
  client: Client,
  handle: WorkflowHandle<typeof trainingPipeline>,
  output: NodeJS.WriteStream = process.stderr,
  everyMs = 500,
): Promise<TrainingPipelineResult> {
  const started = Date.now();
  const result = handle.result();
  let finished = false;
  result.then(() => (finished = true), () => (finished = true));
  let last = '';
  while (!finished) {
    const line = await currentLine(client, handle, started).catch(() => undefined);
    if (line && output.isTTY) output.write(`\r${line}\x1b[K`);
    else if (line && line.replace(/ · \d+s$/, '') !== last.replace(/ · \d+s$/, '')) output.write(`${line}\n`);
    if (line) last = line;
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, everyMs))]);
  }
  if (output.isTTY && last) output.write('\n');
  return result;
}

async function currentLine(client: Client, handle: WorkflowHandle<typeof trainingPipeline>, started: number): Promise<string> {
  const progress = await handle.query(progressQuery);
  const study = progress.stage === 'tune'
    ? await client.workflow.getHandle(`${handle.workflowId}-study`).query(studyProgressQuery).catch(() => undefined)
    : undefined;
  return formatProgress(progress, study, Date.now() - started);
}
