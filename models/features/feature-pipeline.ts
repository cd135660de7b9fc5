import { InputError } from '../../lib/errors';
import { parseCategory, parseNumeric, type RawRecord } from './raw-values';

export type InputKind = 'numeric' | 'categorical';

/** A raw column the model reads, as the caller sends it. */
export interface InputColumn {
  name: string;
  kind: InputKind;
}

/** What fitting learned about one input column. */
export type FittedColumn =
  | { name: string; kind: 'numeric' }
  /** One-hot over the levels seen in training; an unseen or missing level sets none of them. */
  | { name: string; kind: 'categorical'; levels: string[] };

/** The serialisable state of a fitted pipeline: plain JSON, stored beside the model. */
export interface FeaturePipelineState {
  format: 'kiln.feature-pipeline';
  version: 1;
  columns: FittedColumn[];
  featureNames: string[];
  /** How the target's values map to the model's output: probability is of `positive`. */
  target: TargetLabels;
}

export interface TargetLabels {
  column: string;
  positive: string;
  negative: string;
}

export interface FitOptions {
  /** Most one-hot levels per column; rarer levels fall into the unseen bucket. */
  maxCategories?: number;
}

/** Fits the pipeline on training rows only; the holdout and served records are transformed, never fitted. */
export function fitFeaturePipeline(rows: RawRecord[], inputs: InputColumn[], target: TargetLabels, { maxCategories = 50 }: FitOptions = {}): FeaturePipelineState {
  const columns: FittedColumn[] = inputs.map(({ name, kind }) => {
    if (kind === 'numeric') return { name, kind };
    const counts = new Map<string, number>();
    for (const row of rows) {
      const level = parseCategory(row[name]);
      if (level !== null) counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    // Most frequent first, ties by name: the order is part of the model, so it must not depend on row order.
    const levels = [...counts.entries()]
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxCategories)
      .map(([level]) => level)
      .sort();
    return { name, kind, levels };
  });
  const featureNames = columns.flatMap((column) =>
    column.kind === 'numeric' ? [column.name] : column.levels.map((level) => `${column.name}=${level}`),
  );
  return { format: 'kiln.feature-pipeline', version: 1, columns, featureNames, target };
}

/** A fitted pipeline ready to transform records; build once per model version, reuse per request. */
export class FeaturePipeline {
  readonly featureCount: number;
  private readonly plan: Array<{ name: string; offset: number; levels?: Map<string, number> }>;

  constructor(readonly state: FeaturePipelineState) {
    if (state.format !== 'kiln.feature-pipeline' || state.version !== 1) {
      throw new InputError(`feature pipeline: unsupported format ${state.format} v${state.version}`);
    }
    let offset = 0;
    this.plan = state.columns.map((column) => {
      const step = { name: column.name, offset, levels: column.kind === 'categorical' ? new Map(column.levels.map((level, i) => [level, i])) : undefined };
      offset += column.kind === 'numeric' ? 1 : column.levels.length;
      return step;
    });
    this.featureCount = offset;
  }

  /** For each model feature, the raw input column it is computed from: how SHAP values add up per input. */
  get featureSources(): string[] {
    return this.state.columns.flatMap((column) => (column.kind === 'numeric' ? [column.name] : column.levels.map(() => column.name)));
  }

  get inputs(): InputColumn[] {
    return this.state.columns.map(({ name, kind }) => ({ name, kind }));
  }

  /** Writes one record's features into `out` at `offset`; throws InputError naming the field on a bad value. */
  transformInto(record: RawRecord, out: Float32Array, offset = 0): void {
    out.fill(0, offset, offset + this.featureCount);
    for (const { name, offset: at, levels } of this.plan) {
      const value = record[name];
      if (levels === undefined) {
        const number = parseNumeric(value);
        if (number === undefined) throw new InputError(`${name}: expected a number, got ${JSON.stringify(value)}`, { field: name });
        out[offset + at] = number;
      } else {
        const level = levels.get(parseCategory(value) as string);
        if (level !== undefined) out[offset + at + level] = 1;
      }
    }
  }

  /** Row-major matrix of the records' features. */
  transform(records: RawRecord[]): Float32Array {
    const out = new Float32Array(records.length * this.featureCount);
    records.forEach((record, i) => {
      try {
        this.transformInto(record, out, i * this.featureCount);
      } catch (error) {
        if (error instanceof InputError) throw new InputError(`row ${i}: ${error.message}`, { ...error.details, row: i });
        throw error;
      }
    });
    return out;
  }
}
