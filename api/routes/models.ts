import { Hono } from 'hono';
import type { ModelLineage, Registry } from '../../db';
import type { ArtifactStore } from '../../lib/artifact-store';
import { loadSettings, workflowUiLink, type KilnSettings } from '../../lib/settings';
import type { ApiEnv } from '../env';
import type { ModelCache } from '../model-cache';

export interface ModelRoutesOptions {
  registry: Registry;
  models: ModelCache;
  /** Where model cards are read. */
  artifacts: Pick<ArtifactStore, 'get'>;
  /** For the runs' Temporal Web UI links. Default: the environment's settings, as the server reads them. */
  links?: Pick<KilnSettings, 'temporalUiUrl' | 'temporalNamespace'>;
}

/**
 * `GET /models`, `GET /models/{name}` (what production serves, with its lineage), `GET /models/{name}/versions/{version}`
 * (any version's lineage) and `GET /models/{name}/versions/{version}/card` (its Markdown model card). Versions
 * have a segment of their own: a parameter beside `/models/{name}/drift` and the other static routes would
 * leave Hono's trie router to route every request, several times slower than its RegExpRouter.
 */
export function modelRoutes({ registry, models, artifacts, links = loadSettings() }: ModelRoutesOptions) {
  const lineageOf = async (name: string, version: number) => lineageJson(await registry.getLineage(name, version), links);

  return new Hono<ApiEnv>()
    .get('/models', async (c) => c.json({ models: await registry.listModels() }))
    .get('/models/:name', async (c) => {
      const served = await models.get(c.req.param('name'));
      const { version } = served;
      return c.json({
        name: served.name,
        version: version.version,
        stage: version.stage,
        metrics: version.metrics,
        params: version.params,
        dataset_id: version.datasetId,
        trained_at: version.createdAt,
        workflow_id: version.workflowId,
        input_schema: served.scoring.pipeline.inputs,
        target: served.scoring.pipeline.state.target,
        lineage: await lineageOf(served.name, version.version),
      });
    })
    // Versions are digits only, so /models/{name}/drift and other sub-resources stay free.
    .get('/models/:name/versions/:version{[0-9]+}', async (c) => c.json(await lineageOf(c.req.param('name'), Number(c.req.param('version')))))
    .get('/models/:name/versions/:version{[0-9]+}/card', async (c) => {
      const name = c.req.param('name');
      const found = await registry.getModelVersion(name, Number(c.req.param('version')));
      if (!found.cardKey) return c.json({ error: `version ${found.version} of model "${name}" has no model card (it was registered before cards were written)` }, 404);
      let card: Buffer;
      try {
        card = artifacts.get(found.cardKey);
      } catch (error) {
        // A missing or damaged file is the server's problem, not "no such card": answered 500 and logged.
        throw new Error(`the model card of version ${found.version} of "${name}" cannot be read: ${(error as Error).message}`, { cause: error });
      }
      return c.body(card.toString('utf8'), 200, { 'content-type': 'text/markdown; charset=utf-8' });
    });
}

/** A version's lineage as the API answers it (snake_case, with the run's Web UI link and the card's route). */
function lineageJson({ version, dataset, run, study, history }: ModelLineage, links: Pick<KilnSettings, 'temporalUiUrl' | 'temporalNamespace'>) {
  return {
    model: version.modelName,
    version: version.version,
    stage: version.stage,
    created_at: version.createdAt,
    params: version.params,
    metrics: version.metrics,
    code_version: version.codeVersion,
    dataset: { id: dataset.id, rows: dataset.rowCount, content_hash: dataset.contentHash, created_at: dataset.createdAt },
    run: {
      workflow_id: version.workflowId,
      run_id: version.runId,
      temporal_ui: workflowUiLink(links, version.workflowId, version.runId),
      ...(run ? { status: run.status, outcome: run.outcome, started_at: run.startedAt, finished_at: run.finishedAt } : {}),
    },
    study: study
      ? {
          name: study.name,
          direction: study.direction,
          state: study.state,
          best_trial: study.bestTrial ? { number: study.bestTrial.number, value: study.bestTrial.value, params: study.bestTrial.params } : null,
        }
      : null,
    artifacts: {
      model: { key: version.modelKey, ...version.modelChecksum },
      pipeline: { key: version.pipelineKey, ...version.pipelineChecksum },
    },
    card: version.cardKey ? `/models/${encodeURIComponent(version.modelName)}/versions/${version.version}/card` : null,
    history: history.map((t) => ({ from: t.fromStage, to: t.toStage, at: t.at, actor: t.actor, reason: t.reason })),
  };
}
