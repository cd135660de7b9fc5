import { InputError } from '../../lib/errors';
import type { DatePart, TextStat } from './config';

/** How a raw value is read: numbers, category labels, dates (ISO text) or free text. */
export type InputKind = 'numeric' | 'categorical' | 'date' | 'text';

/** A raw column the model reads, as the caller sends it. */
export interface InputColumn {
  name: string;
  kind: InputKind;
}

/** How the target's values map to the model's output: probability is of `positive`. */
export interface TargetLabels {
  column: string;
  positive: string;
  negative: string;
}

/** A column step with what fitting learned; each reads and writes named columns (raw or derived). */
export type FittedStep =
  | { type: 'impute'; column: string; strategy: 'median' | 'mode' | 'constant'; value: number | string; indicator?: string }
  | { type: 'log1p'; column: string }
  | { type: 'clip'; column: string; quantiles: [number, number]; low: number; high: number }
  | { type: 'ratio'; numerator: string; denominator: string; as: string }
  | { type: 'days_between'; start: string; end: string; as: string }
  | { type: 'date_parts'; column: string; parts: DatePart[]; as: string[] }
  | { type: 'text_stats'; column: string; stats: TextStat[]; as: string[] };

/** Turns one column's final value into model features. */
export type FittedEncoder =
  /** A numeric column as it is: one feature. */
  | { type: 'number'; column: string }
  /** One 0/1 feature per level; a missing, rare or unseen level sets none of them. */
  | { type: 'onehot'; column: string; levels: string[] }
  /** The level's training share; 0 for an unseen level, missing for a missing one. */
  | { type: 'frequency'; column: string; levels: string[]; shares: number[] }
  /** The level's smoothed positive rate; `prior` for an unseen level, missing for a missing one. */
  | { type: 'target'; column: string; levels: string[]; rates: number[]; prior: number; smoothing: number; folds: number };

export type Balance = { method: 'none' } | { method: 'scale_pos_weight'; scalePosWeight: number } | { method: 'smote'; k: number; syntheticRows: number };

/** What fitting saw and decided, kept for whoever reads the model later. */
export interface FitRecord {
  rows: number;
  positives: number;
  /** `scale_pos_weight` is what the pipeline passes to the booster; an explicitly configured value wins over it. */
  balance: Balance;
  /** Features left out by selection, and why. */
  dropped: Array<{ feature: string; reason: string }>;
}

/** The serialisable state of a fitted pipeline: plain JSON, stored beside the model. */
export interface FeaturePipelineState {
  format: 'kiln.feature-pipeline';
  version: 2;
  /** Raw columns read, in the dataset's order. */
  inputs: InputColumn[];
  /** Column steps in the order they run. */
  steps: FittedStep[];
  /** Feature producers in feature order. */
  encoders: FittedEncoder[];
  featureNames: string[];
  target: TargetLabels;
  /** Absent in states upgraded from version 1. */
  fit?: FitRecord;
}

/** Version 1 (numeric passthrough and one-hot only): registered models still hold it. */
export interface FeaturePipelineStateV1 {
  format: 'kiln.feature-pipeline';
  version: 1;
  columns: Array<{ name: string; kind: 'numeric' } | { name: string; kind: 'categorical'; levels: string[] }>;
  featureNames: string[];
  target: TargetLabels;
}

/** A stored state of any supported version, as the current version: v1 is v2 without steps. */
export function currentState(state: FeaturePipelineState | FeaturePipelineStateV1): FeaturePipelineState {
  if (state?.format !== 'kiln.feature-pipeline' || (state.version !== 1 && state.version !== 2)) {
    throw new InputError(`feature pipeline: unsupported format ${state?.format} v${(state as { version?: unknown })?.version}`);
  }
  if (state.version === 2) return state;
  return {
    format: 'kiln.feature-pipeline',
    version: 2,
    inputs: state.columns.map(({ name, kind }) => ({ name, kind })),
    steps: [],
    encoders: state.columns.map((column) => (column.kind === 'numeric' ? { type: 'number', column: column.name } : { type: 'onehot', column: column.name, levels: column.levels })),
    featureNames: state.featureNames,
    target: state.target,
  };
}
