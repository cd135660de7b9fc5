import type { Emit, Frame, Layout } from './frame';
import { compareText, levelCounts } from './levels';
import type { FittedEncoder } from './state';
import { fitTargetEncoder } from './target-encoding';

/** What the plan asks of an encoder, before fitting. */
export type EncoderSpec =
  | { type: 'number'; column: string }
  | { type: 'onehot'; column: string; maxCategories: number }
  | { type: 'frequency'; column: string }
  | { type: 'target'; column: string; folds: number; smoothing: number };

export interface FittedEncoderResult {
  encoder: FittedEncoder;
  /** Training rows' values computed out of fold (target encoding), to use in place of the transform's. */
  outOfFold?: Float64Array;
}

/** Fits one encoder on the training rows' frame (after every column step). */
export function fitEncoder(spec: EncoderSpec, frame: Frame, layout: Layout, labels: Float32Array, seed: number): FittedEncoderResult {
  if (spec.type === 'number') return { encoder: spec };
  const values = frame.strings[layout.string(spec.column)]!;
  if (spec.type === 'target') return fitTargetEncoder(spec, values, labels, seed);
  const counts = levelCounts(values);
  if (spec.type === 'onehot') {
    // Most frequent first, ties by name: the order is part of the model, so it must not depend on row order.
    const levels = [...counts.entries()]
      .sort(([a, ca], [b, cb]) => cb - ca || compareText(a, b))
      .slice(0, spec.maxCategories)
      .map(([level]) => level)
      .sort(compareText);
    return { encoder: { type: 'onehot', column: spec.column, levels } };
  }
  const levels = [...counts.keys()].sort(compareText);
  return { encoder: { type: 'frequency', column: spec.column, levels, shares: levels.map((level) => counts.get(level)! / values.length) } };
}

/** Feature names an encoder produces, in order. */
export function encoderFeatureNames(encoder: FittedEncoder): string[] {
  switch (encoder.type) {
    case 'number':
      return [encoder.column];
    case 'onehot':
      return encoder.levels.map((level) => `${encoder.column}=${level}`);
    case 'frequency':
      return [`${encoder.column}_frequency`];
    case 'target':
      return [`${encoder.column}_target_rate`];
  }
}

export function compileEncoder(encoder: FittedEncoder, layout: Layout): Emit {
  switch (encoder.type) {
    case 'number': {
      const slot = layout.number(encoder.column);
      return (frame, row, out, at) => {
        out[at] = frame.numbers[slot]![row]!;
      };
    }
    case 'onehot': {
      const slot = layout.string(encoder.column);
      const index = new Map(encoder.levels.map((level, i) => [level, i]));
      return (frame, row, out, at) => {
        const level = index.get(frame.strings[slot]![row] as string);
        if (level !== undefined) out[at + level] = 1;
      };
    }
    case 'frequency':
      return lookup(encoder.column, encoder.levels, encoder.shares, 0, layout);
    case 'target':
      return lookup(encoder.column, encoder.levels, encoder.rates, encoder.prior, layout);
  }
}

/** A level's value from a table; `unseen` for a level not in it, missing (NaN) for a missing value. */
function lookup(column: string, levels: string[], values: number[], unseen: number, layout: Layout): Emit {
  const slot = layout.string(column);
  const table = new Map(levels.map((level, i) => [level, values[i]!]));
  return (frame, row, out, at) => {
    const level = frame.strings[slot]![row];
    out[at] = level === null ? NaN : (table.get(level!) ?? unseen);
  };
}
