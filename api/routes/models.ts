import { Hono } from 'hono';
import type { Registry } from '../../db';
import type { ApiEnv } from '../env';
import type { ModelCache } from '../model-cache';

/** `GET /models` and `GET /models/{name}`: what is registered, and what production serves. */
export function modelRoutes({ registry, models }: { registry: Registry; models: ModelCache }) {
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
      });
    });
}
