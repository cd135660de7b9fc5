import assert from 'node:assert/strict';
import type { ModelVersion, Registry, RegisterModelVersionInput, Stage, StageTransition } from '../../db';

export const hashA = 'a'.repeat(64);
export const hashB = 'b'.repeat(64);

export async function seedDataset(registry: Registry, name = 'telco-churn', contentHash = hashA): Promise<string> {
  const { dataset } = await registry.upsertDataset({
    name,
    contentHash,
    snapshotKey: `sha256/${contentHash}.parquet`,
    rowCount: 7043,
    schema: { columns: [{ name: 'tenure', type: 'int' }] },
    source: { path: 'data/telco.csv', delimiter: ',' },
  });
  return dataset.id;
}

export function versionInput(datasetId: string, run: string | number, overrides: Partial<RegisterModelVersionInput> = {}): RegisterModelVersionInput {
  return {
    modelName: 'churn',
    datasetId,
    params: { max_depth: 4, eta: 0.1, objective: 'binary:logistic' },
    metrics: { auc: 0.84, logloss: 0.41 },
    modelKey: `sha256/model-${run}.ubj`,
    pipelineKey: `sha256/pipeline-${run}.json`,
    workflowId: 'train-churn',
    runId: `run-${run}`,
    modelChecksum: { sha256: 'e'.repeat(64), size: 1234 },
    pipelineChecksum: { sha256: 'f'.repeat(64), size: 56 },
    codeVersion: 'test-code',
    ...overrides,
  };
}

/** Registers `count` versions of one model, one after the other; returns them in order. */
export async function registerVersions(registry: Registry, datasetId: string, count: number, modelName = 'churn'): Promise<ModelVersion[]> {
  const versions: ModelVersion[] = [];
  for (let i = 1; i <= count; i++) versions.push(await registry.registerModelVersion(versionInput(datasetId, `${modelName}-${i}`, { modelName })));
  return versions;
}

export function isIsoTimestamp(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && new Date(value).toISOString() === value;
}

/**
 * Replays the audit log from nothing and checks it tells the truth: every transition starts from the
 * stage the previous one left the version in, there is never more than one production version, and the
 * replay ends in the stages the table holds.
 */
export function assertCoherentAuditLog(transitions: StageTransition[], versions: ModelVersion[]): void {
  const stageOf = new Map<number, Stage>();
  let production: number | undefined;
  let lastId = 0;
  for (const t of transitions) {
    assert.ok(t.id > lastId, 'transitions listed in the order they were written');
    lastId = t.id;
    assert.equal(t.fromStage, stageOf.get(t.version) ?? null, `transition ${t.id} of version ${t.version} starts where the last one ended`);
    if (t.fromStage === 'production') {
      assert.equal(production, t.version);
      production = undefined;
    }
    if (t.toStage === 'production') {
      assert.equal(production, undefined, `transition ${t.id} makes a second production version`);
      production = t.version;
    }
    stageOf.set(t.version, t.toStage);
  }
  for (const v of versions) assert.equal(stageOf.get(v.version), v.stage, `audit log ends with version ${v.version} ${v.stage}`);
}
