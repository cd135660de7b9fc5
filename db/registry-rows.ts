/**
 * Row types (what the tables hold, snake_case) and domain types (what the rest of Kiln sees, camelCase),
 * with one conversion per table. Only db/ knows the rows.
 */

export const stages = ['candidate', 'staging', 'production', 'archived'] as const;
/** candidate → staging → production → archived; any non-production version may be promoted. */
export type Stage = (typeof stages)[number];

/** An immutable snapshot of training data: same name and content → same dataset. */
export interface Dataset {
  /** `${name}@${contentHash.slice(0, 12)}` */
  id: string;
  name: string;
  contentHash: string;
  /** Artifact key of the Parquet snapshot. */
  snapshotKey: string;
  rowCount: number;
  schema: unknown;
  source: unknown;
  /** The version an incremental ingest added this one's rows to; null for a full load. */
  parentId: string | null;
  /** How far an incremental ingest read: the largest value of its watermark column; null for a full load. */
  watermark: { column: string; value: number | string } | null;
  /** Artifact key of the dataset's profile (monitoring's drift baseline); null for versions ingested before profiles were kept. */
  profileKey: string | null;
  /** ISO 8601, UTC */
  createdAt: string;
}

/** What a version's artifact was at registration; loading compares the file with it. */
export interface ArtifactChecksum {
  /** hex digest */
  sha256: string;
  /** bytes */
  size: number;
}

export interface ModelVersion {
  id: number;
  modelName: string;
  version: number;
  stage: Stage;
  datasetId: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  /** Artifact key of the XGBoost model. */
  modelKey: string;
  /** Artifact key of the fitted feature pipeline (JSON). */
  pipelineKey: string;
  workflowId: string;
  runId: string;
  /** null for versions registered before checksums were kept (their keys still verify the content). */
  modelChecksum: ArtifactChecksum | null;
  pipelineChecksum: ArtifactChecksum | null;
  /** The git commit (or release) of the code that trained it; null for versions registered before it was kept. */
  codeVersion: string | null;
  /** Artifact key of the Markdown model card, once written. */
  cardKey: string | null;
  createdAt: string;
}

/** One line of the audit log: every stage change of every version. */
export interface StageTransition {
  id: number;
  modelName: string;
  version: number;
  /** null when the version was registered */
  fromStage: Stage | null;
  toStage: Stage;
  reason: string;
  actor: string;
  at: string;
}

export interface ModelSummary {
  name: string;
  productionVersion?: number;
  latestVersion: number;
}

/** PostgreSQL returns `timestamptz` as Date, SQLite the text written; both leave as ISO strings. */
export type DbTimestamp = string | Date;

export interface DatasetRow {
  id: string;
  name: string;
  content_hash: string;
  snapshot_key: string;
  row_count: number;
  schema_json: string;
  source_json: string;
  parent_id: string | null;
  watermark_json: string | null;
  profile_key: string | null;
  created_at: DbTimestamp;
}

export interface ModelRow {
  name: string;
  created_at: DbTimestamp;
}

export interface ModelVersionRow {
  id: number;
  model_name: string;
  version: number;
  stage: Stage;
  dataset_id: string;
  params_json: string;
  metrics_json: string;
  model_key: string;
  pipeline_key: string;
  workflow_id: string;
  run_id: string;
  model_sha256: string | null;
  /** PostgreSQL returns bigint as a string. */
  model_size: number | string | null;
  pipeline_sha256: string | null;
  pipeline_size: number | string | null;
  code_version: string | null;
  card_key: string | null;
  created_at: DbTimestamp;
}

export interface StageTransitionRow {
  id: number;
  model_name: string;
  version: number;
  from_stage: Stage | null;
  to_stage: Stage;
  reason: string;
  actor: string;
  at: DbTimestamp;
}

export function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    name: row.name,
    contentHash: row.content_hash,
    snapshotKey: row.snapshot_key,
    rowCount: Number(row.row_count),
    schema: JSON.parse(row.schema_json),
    source: JSON.parse(row.source_json),
    parentId: row.parent_id,
    watermark: row.watermark_json === null ? null : JSON.parse(row.watermark_json),
    profileKey: row.profile_key,
    createdAt: toIso(row.created_at),
  };
}

export function toModelVersion(row: ModelVersionRow): ModelVersion {
  return {
    id: Number(row.id),
    modelName: row.model_name,
    version: Number(row.version),
    stage: row.stage,
    datasetId: row.dataset_id,
    params: JSON.parse(row.params_json),
    metrics: JSON.parse(row.metrics_json),
    modelKey: row.model_key,
    pipelineKey: row.pipeline_key,
    workflowId: row.workflow_id,
    runId: row.run_id,
    modelChecksum: toChecksum(row.model_sha256, row.model_size),
    pipelineChecksum: toChecksum(row.pipeline_sha256, row.pipeline_size),
    codeVersion: row.code_version,
    cardKey: row.card_key,
    createdAt: toIso(row.created_at),
  };
}

function toChecksum(sha256: string | null, size: number | string | null): ArtifactChecksum | null {
  return sha256 === null || size === null ? null : { sha256, size: Number(size) };
}

export function toStageTransition(row: StageTransitionRow): StageTransition {
  return {
    id: Number(row.id),
    modelName: row.model_name,
    version: Number(row.version),
    fromStage: row.from_stage,
    toStage: row.to_stage,
    reason: row.reason,
    actor: row.actor,
    at: toIso(row.at),
  };
}

/** Now, as stored in every timestamp column; formatted once per millisecond, as the API stamps every logged prediction with it. */
export function nowIso(): string {
  const now = Date.now();
  if (now !== isoClock.ms) {
    isoClock.ms = now;
    isoClock.text = new Date(now).toISOString();
  }
  return isoClock.text;
}

const isoClock = { ms: NaN, text: '' };

export function toIso(value: DbTimestamp): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
