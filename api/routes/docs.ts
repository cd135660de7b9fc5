import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Registry } from '../../db';
import type { ApiEnv } from '../env';
import type { ModelCache } from '../model-cache';

const predictionSchema = {
  type: 'object',
  required: ['request_id', 'model', 'model_version', 'prediction', 'probability', 'threshold'],
  properties: {
    request_id: { type: 'string' },
    model: { type: 'string' },
    model_version: { type: 'integer' },
    prediction: { type: 'string', description: "the target's positive label when probability ≥ threshold, else its negative label" },
    probability: { type: 'number', description: 'probability of the positive class' },
    threshold: { type: 'number', description: "the version's decision threshold (0.5 unless its training chose another)" },
    explanation: {
      type: 'object',
      description: 'with `?explain=true`: bias + the sum of every column\'s contribution is the log-odds of `probability`',
      properties: {
        bias: { type: 'number', description: "the model's expected log-odds" },
        contributions: {
          type: 'array',
          description: 'the `top` raw input columns with the largest |TreeSHAP contribution| (log-odds, one-hot levels summed per column), largest first',
          items: { type: 'object', properties: { column: { type: 'string' }, contribution: { type: 'number' } } },
        },
      },
    },
  },
};

const explainParameters = [
  { name: 'explain', in: 'query', description: 'add `explanation`: the top raw input columns by SHAP contribution', schema: { type: 'boolean', default: false } },
  { name: 'top', in: 'query', description: 'how many columns `explain` lists', schema: { type: 'integer', minimum: 1, maximum: 100, default: 5 } },
];

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string' },
    issues: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

/** `GET /openapi.json` (OpenAPI 3.1, with each production model's input schema) and `GET /docs` (Swagger UI, served locally). */
export function docsRoutes({ registry, models }: { registry: Registry; models: ModelCache }) {
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const asset = (file: string) => fs.readFileSync(path.join(assets, file));

  return new Hono<ApiEnv>()
    .get('/openapi.json', async (c) => {
      const served = await Promise.all(
        (await registry.listModels()).filter((model) => model.productionVersion !== undefined).map((model) => models.get(model.name)),
      );
      const paths: Record<string, unknown> = {
        '/health': { get: { summary: 'Liveness', responses: { 200: { description: 'alive' } } } },
        '/models': { get: { summary: 'Registered models', responses: { 200: { description: 'models with their production and latest versions' } } } },
        '/dashboard': { get: { summary: 'Monitoring dashboard (HTML): traffic, drift, versions, feedback accuracy', responses: { 200: { description: 'the page', content: { 'text/html': {} } } } } },
        '/models/{name}/versions/{version}/card': {
          get: {
            summary: "A model version's card: intended use, data, metrics with intervals, baselines, top features by SHAP, limitations, lineage",
            parameters: [pathParameter('name', { type: 'string' }), pathParameter('version', { type: 'integer', minimum: 1 })],
            responses: { 200: { description: 'the card', content: { 'text/markdown': { schema: { type: 'string' } } } }, 404: errorResponse('no such model, version or card') },
          },
        },
      };
      const schemas: Record<string, unknown> = { Prediction: predictionSchema, Error: errorSchema };
      for (const model of served) {
        schemas[`${model.name}.record`] = z.toJSONSchema(model.validator.schema, { unrepresentable: 'any' });
        paths[`/models/${model.name}/predict`] = predictOperation(model.name, `version ${model.version.version} of ${model.name}`);
        paths[`/models/${model.name}/predict/batch`] = batchOperation(model.name);
        Object.assign(paths, monitoringOperations(model.name));
        paths[`/models/${model.name}`] = { get: { summary: `Production version of ${model.name}`, responses: { 200: { description: 'version, metrics, input schema' }, 404: errorResponse('no production version') } } };
      }
      if (served.length === 1) paths['/predict'] = predictOperation(served[0]!.name, `the default model (${served[0]!.name})`);
      return c.json({ openapi: '3.1.0', info: { title: 'Kiln API', version: '1' }, paths, components: { schemas } });
    })
    .get('/docs', (c) =>
      c.html(`<!doctype html><html><head><meta charset="utf-8"><title>Kiln API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`),
    )
    .get('/docs/swagger-ui.css', (c) => c.body(asset('swagger-ui.css'), 200, { 'content-type': 'text/css', 'cache-control': 'max-age=86400' }))
    .get('/docs/swagger-ui-bundle.js', (c) => c.body(asset('swagger-ui-bundle.js'), 200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=86400' }));
}

function predictOperation(modelName: string, what: string) {
  return {
    post: {
      summary: `Score one raw record with ${what}`,
      parameters: explainParameters,
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${modelName}.record` } } } },
      responses: {
        200: { description: 'the prediction', content: { 'application/json': { schema: { $ref: '#/components/schemas/Prediction' } } } },
        400: errorResponse('the body is not JSON'),
        413: errorResponse('the body is too large'),
        422: errorResponse('a field is missing or has a bad value; each issue names its field'),
      },
    },
  };
}

function batchOperation(modelName: string) {
  return {
    post: {
      summary: `Score up to 10,000 raw records with ${modelName}; each bad record gets its own error entry`,
      parameters: explainParameters,
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { type: 'array', maxItems: 10_000, items: { $ref: `#/components/schemas/${modelName}.record` } } },
          'text/csv': { schema: { type: 'string', description: 'a header row naming every input column, then up to 10,000 rows; cells are read as in training (blank cells are missing)' } },
        },
      },
      responses: {
        200: { description: 'one result per record (per CSV row), in order: `{ index, prediction, probability }` or `{ index, error, issues }`' },
        400: errorResponse('the body is not JSON, or not a well-formed UTF-8 CSV (the error names the line)'),
        413: errorResponse('the body is too large'),
        422: errorResponse('the body is not an array of 1 to 10,000 records, or the CSV header lacks an input column'),
      },
    },
  };
}

function pathParameter(name: string, schema: Record<string, unknown>) {
  return { name, in: 'path', required: true, schema };
}

/** `GET /models/{name}/drift` and `GET /models/{name}/monitoring` (the dashboard's data). */
function monitoringOperations(modelName: string) {
  const integer = (name: string, description: string, minimum: number, maximum: number, fallback: number) => ({ name, in: 'query', description, schema: { type: 'integer', minimum, maximum, default: fallback } });
  return {
    [`/models/${modelName}/drift`]: {
      get: {
        summary: `Drift of ${modelName}'s production version: PSI per raw input column and on the score, newest logged predictions against the training data`,
        parameters: [integer('window', 'how many of the newest logged predictions to compare', 1, 50_000, 1000)],
        responses: { 200: { description: '`{ model, model_version, window, report: { rows, thresholds, level, columns, score } }`; levels are none, moderate (PSI ≥ 0.1) and major (PSI ≥ 0.25)' }, 404: errorResponse('no production version'), 422: errorResponse('a bad query parameter') },
      },
    },
    [`/models/${modelName}/monitoring`]: {
      get: {
        summary: `Traffic of ${modelName} per minute (requests/s, latency percentiles, predicted classes), its versions with stages and metrics, and accuracy where feedback labels exist`,
        parameters: [integer('minutes', 'how many recent minutes', 1, 60, 10)],
        responses: { 200: { description: '`{ model, production_version, versions, traffic, feedback }`' }, 404: errorResponse('no such model'), 422: errorResponse('a bad query parameter') },
      },
    },
  };
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}
