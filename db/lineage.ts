import type { Knex } from 'knex';
import { NotFoundError } from '../lib/errors';
import type { PipelineRun, PipelineRunRegistry } from './pipeline-runs';
import type { Dataset, ModelVersion, StageTransition } from './registry-rows';

/** The tuning study behind a version, and its best trial, as the studies tables hold them. */
export interface LineageStudy {
  name: string;
  direction: string;
  state: string;
  bestTrialNumber: number | null;
  bestValue: number | null;
  bestTrial?: { number: number; state: string; params: Record<string, unknown>; value: number | null };
}

/** Where a model version came from and what happened to it since. */
export interface ModelLineage {
  version: ModelVersion;
  dataset: Dataset;
  /** The pipeline run that registered it; absent for versions registered before runs were recorded. */
  run?: PipelineRun;
  /** The tuning study of that run, when it tuned and the studies tables exist. */
  study?: LineageStudy;
  /** This version's stage changes, oldest first. */
  history: StageTransition[];
}

/** What lineage reads through the registry's own functions. */
interface LineageSources extends Pick<PipelineRunRegistry, 'getRun'> {
  getModelVersion(modelName: string, version: number): Promise<ModelVersion>;
  getDataset(id: string): Promise<Dataset>;
  listStageTransitions(modelName: string): Promise<StageTransition[]>;
}

/**
 * One version's lineage: the version (params, metrics, code version, artifact checksums), its dataset,
 * its run, the run's study and best trial, and its stage history. NotFoundError for an unknown version.
 */
export async function readLineage(db: Knex, sources: LineageSources, modelName: string, version: number): Promise<ModelLineage> {
  const found = await sources.getModelVersion(modelName, version);
  const [dataset, run, study, transitions] = await Promise.all([
    sources.getDataset(found.datasetId),
    sources.getRun(found.workflowId, found.runId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }),
    readStudy(db, found),
    sources.listStageTransitions(modelName),
  ]);
  return {
    version: found,
    dataset,
    ...(run ? { run } : {}),
    ...(study ? { study } : {}),
    history: transitions.filter((t) => t.version === found.version),
  };
}

/**
 * The study the training pipeline ran for this version's run. The pipeline names its study
 * `<model name>/<run id>` (workflows/training-pipeline.ts), unique per run, whereas the study's workflow
 * id is the same for every run of a model. The tables come with another migration: read them only if
 * they exist, so lineage works on a database migrated without them.
 */
async function readStudy(db: Knex, version: ModelVersion): Promise<LineageStudy | undefined> {
  if (!(await db.schema.hasTable('studies'))) return undefined;
  const study = await db('studies').where({ name: `${version.modelName}/${version.runId}` }).first('id', 'name', 'direction', 'state', 'best_trial_number', 'best_value');
  if (!study) return undefined;
  const bestTrialNumber = study.best_trial_number === null ? null : Number(study.best_trial_number);
  const trial =
    bestTrialNumber === null ? undefined : await db('trials').where({ study_id: study.id, number: bestTrialNumber }).first('number', 'state', 'params', 'value');
  return {
    name: study.name,
    direction: study.direction,
    state: study.state,
    bestTrialNumber,
    bestValue: study.best_value === null ? null : Number(study.best_value),
    ...(trial
      ? { bestTrial: { number: Number(trial.number), state: trial.state, params: JSON.parse(trial.params), value: trial.value === null ? null : Number(trial.value) } }
      : {}),
  };
}
