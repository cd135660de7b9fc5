import { Hono } from 'hono';
import { fieldIssues } from '../record-schema';
import { readJson } from '../errors';
import type { ModelCache } from '../model-cache';
import type { ApiEnv } from '../env';

export interface PredictRoutesOptions {
  models: ModelCache;
}

/** `POST /models/{name}/predict` and `POST /predict`: one raw record in, one scored prediction out. */
export function predictRoutes({ models }: PredictRoutesOptions) {
  const predict = async (c: import('hono').Context<ApiEnv>, name: string) => {
    const served = await models.get(name);
    const body = await readJson(c);
    const parsed = served.schema.safeParse(body);
    if (!parsed.success) return c.json({ error: 'invalid record', issues: fieldIssues(parsed.error, body) }, 422);
    const probability = served.scoring.predict([parsed.data])[0]!;
    const { positive, negative } = served.scoring.pipeline.state.target;
    return c.json({
      request_id: c.get('requestId'),
      model: name,
      model_version: served.version.version,
      prediction: probability >= 0.5 ? positive : negative,
      probability,
    });
  };

  return new Hono<ApiEnv>()
    .post('/models/:name/predict', (c) => predict(c, c.req.param('name')))
    .post('/predict', async (c) => predict(c, await models.defaultModel()));
}
