/**
 * Rows of `studies` and `trials` (snake_case, JSON as text) and the domain values they hold, with one
 * conversion each way. Trials cross this boundary as `TrialJson`, the form studies snapshot to, so NaN and
 * infinities in intermediate values survive both engines.
 */
import {
  decodeNumber, encodeNumber, type Direction, type JsonValue, type PrunerSpec, type SamplerSpec, type TrialJson, type TrialState,
} from '../models/tuning';

export const studyStates = ['running', 'complete', 'stopped'] as const;
/** running: trials may still start; complete: its budget (trials, time, patience, grid) ran out; stopped: by request. */
export type StudyState = (typeof studyStates)[number];

/** What the tuning workflow knows of its study apart from the trials; written with every mirror. */
export interface StudyHeader {
  /** Unique across the database. */
  name: string;
  modelName: string;
  workflowId: string;
  direction: Direction;
  sampler: SamplerSpec;
  pruner: PrunerSpec;
  /** The search space as the config writes it. */
  space: Record<string, JsonValue>;
  attrs: Record<string, JsonValue>;
  state: StudyState;
}

export interface StudyRecord extends StudyHeader {
  id: number;
  bestTrialNumber: number | null;
  bestValue: number | null;
  revision: number;
  /** ISO 8601, UTC */
  createdAt: string;
  updatedAt: string;
}

/** A study with how many of its trials are in each state, for listings. */
export interface StudySummary extends StudyRecord {
  trialCounts: Record<TrialState, number>;
}

type DbTimestamp = string | Date;

export interface StudyRow {
  id: number;
  name: string;
  model_name: string;
  workflow_id: string;
  direction: Direction;
  sampler: string;
  pruner: string;
  space: string;
  attrs: string;
  state: StudyState;
  best_trial_number: number | null;
  best_value: number | null;
  revision: number;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
}

export interface TrialRow {
  study_id: number;
  number: number;
  state: TrialState;
  params: string;
  value: number | null;
  intermediate: string;
  system_attrs: string;
  started_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
}

export function toStudyRecord(row: StudyRow): StudyRecord {
  return {
    id: Number(row.id),
    name: row.name,
    modelName: row.model_name,
    workflowId: row.workflow_id,
    direction: row.direction,
    sampler: JSON.parse(row.sampler),
    pruner: JSON.parse(row.pruner),
    space: JSON.parse(row.space),
    attrs: JSON.parse(row.attrs),
    state: row.state,
    bestTrialNumber: row.best_trial_number === null ? null : Number(row.best_trial_number),
    bestValue: row.best_value === null ? null : Number(row.best_value),
    revision: Number(row.revision),
    createdAt: toDate(row.created_at).toISOString(),
    updatedAt: toDate(row.updated_at).toISOString(),
  };
}

/** The columns a study header sets (the rest are the store's bookkeeping). */
export function studyHeaderColumns(header: StudyHeader): Omit<StudyRow, 'id' | 'best_trial_number' | 'best_value' | 'revision' | 'created_at' | 'updated_at'> {
  return {
    name: header.name,
    model_name: header.modelName,
    workflow_id: header.workflowId,
    direction: header.direction,
    sampler: JSON.stringify(header.sampler),
    pruner: JSON.stringify(header.pruner),
    space: JSON.stringify(header.space),
    attrs: JSON.stringify(header.attrs),
    state: header.state,
  };
}

export function toTrialJson(row: TrialRow): TrialJson {
  return {
    number: Number(row.number),
    state: row.state,
    params: JSON.parse(row.params),
    // SQLite keeps ±Infinity as REAL; PostgreSQL's double precision too.
    value: row.value === null ? null : encodeNumber(Number(row.value)),
    intermediateValues: JSON.parse(row.intermediate),
    systemAttrs: JSON.parse(row.system_attrs),
    startedAt: row.started_at === null ? null : toDate(row.started_at).getTime(),
    completedAt: row.finished_at === null ? null : toDate(row.finished_at).getTime(),
  };
}

export function toTrialRow(studyId: number, trial: TrialJson): TrialRow {
  return {
    study_id: studyId,
    number: trial.number,
    state: trial.state,
    params: JSON.stringify(trial.params),
    value: trial.value === null ? null : decodeNumber(trial.value),
    intermediate: JSON.stringify(trial.intermediateValues),
    system_attrs: JSON.stringify(trial.systemAttrs),
    started_at: trial.startedAt === null ? null : new Date(trial.startedAt).toISOString(),
    finished_at: trial.completedAt === null ? null : new Date(trial.completedAt).toISOString(),
  };
}

function toDate(value: DbTimestamp): Date {
  return value instanceof Date ? value : new Date(value);
}
