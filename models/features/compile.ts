import { InputError } from '../../lib/errors';
import { parseDate } from './dates';
import { compileEncoder, encoderFeatureNames } from './encoders';
import { Layout, type Emit, type Frame, type RowOp } from './frame';
import { parseCategory, parseNumeric, type RawRecord } from './raw-values';
import type { FeaturePipelineState, FittedStep, InputColumn } from './state';
import { columnStep } from './steps';

/** Reads one raw field into a frame's row. */
export type ReadInput = (record: RawRecord, frame: Frame, row: number) => void;

/** A fitted state turned into functions: read the raw fields, run the steps, write the features. */
export interface CompiledPipeline {
  layout: Layout;
  featureCount: number;
  /** Offset of each encoder's first feature. */
  offsets: number[];
  read: ReadInput[];
  steps: RowOp[];
  emit: Emit[];
}

/** Where every column of the inputs and steps lives in a frame. */
export function layoutOf(inputs: readonly InputColumn[], steps: readonly FittedStep[]): Layout {
  const layout = new Layout();
  for (const input of inputs) layout.add(input.name, input.kind);
  // Every column a step adds is numeric; in-place steps keep their column's slot.
  for (const step of steps) for (const name of columnStep(step).writes(step)) layout.add(name, 'numeric');
  return layout;
}

/** Parses a raw field by its kind; a value of the wrong kind is an InputError naming the field. */
export function compileInput({ name, kind }: InputColumn, layout: Layout): ReadInput {
  if (kind === 'categorical' || kind === 'text') {
    const slot = layout.string(name);
    return (record, frame, row) => {
      frame.strings[slot]![row] = parseCategory(record[name]);
    };
  }
  const slot = layout.number(name);
  const [parse, expected] = kind === 'numeric' ? [parseNumeric, 'a number'] : [parseDate, 'a date (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601)'];
  return (record, frame, row) => {
    const value = parse(record[name]);
    if (value === undefined) throw new InputError(`${name}: expected ${expected}, got ${JSON.stringify(record[name])}`, { field: name });
    frame.numbers[slot]![row] = value;
  };
}

export function compilePipeline(state: FeaturePipelineState): CompiledPipeline {
  const layout = layoutOf(state.inputs, state.steps);
  const offsets: number[] = [];
  let featureCount = 0;
  for (const encoder of state.encoders) {
    offsets.push(featureCount);
    featureCount += encoderFeatureNames(encoder).length;
  }
  return {
    layout,
    featureCount,
    offsets,
    read: state.inputs.map((input) => compileInput(input, layout)),
    steps: state.steps.map((step) => columnStep(step).compile(step, layout)),
    emit: state.encoders.map((encoder) => compileEncoder(encoder, layout)),
  };
}

/** One row through the whole pipeline: read, steps, features at `out[at…]` (which must hold zeros). */
export function transformRow(pipeline: CompiledPipeline, record: RawRecord, frame: Frame, row: number, out: Float32Array, at: number): void {
  for (const read of pipeline.read) read(record, frame, row);
  for (const step of pipeline.steps) step(frame, row);
  emitRow(pipeline, frame, row, out, at);
}

/** Writes the features of a frame row whose steps have run. */
export function emitRow(pipeline: CompiledPipeline, frame: Frame, row: number, out: Float32Array, at: number): void {
  for (let i = 0; i < pipeline.emit.length; i++) pipeline.emit[i]!(frame, row, out, at + pipeline.offsets[i]!);
}

/**
 * For each feature, the raw input columns it is computed from, in the order its steps read them
 * (a ratio: numerator, then denominator; a date difference: start, then end).
 */
export function featureLineage(state: FeaturePipelineState): string[][] {
  const sources = new Map<string, string[]>(state.inputs.map(({ name }) => [name, [name]]));
  for (const step of state.steps) {
    const kind = columnStep(step);
    const read = [...new Set(kind.reads(step).flatMap((name) => sources.get(name) ?? []))];
    for (const name of kind.writes(step)) sources.set(name, [...new Set([...(sources.get(name) ?? []), ...read])]);
  }
  return state.encoders.flatMap((encoder) => encoderFeatureNames(encoder).map(() => sources.get(encoder.column) ?? [encoder.column]));
}

/** An InputError from one row of many, with the row named (other errors pass unchanged). */
export function atRow(error: unknown, row: number): unknown {
  return error instanceof InputError ? new InputError(`row ${row}: ${error.message}`, { ...error.details, row }) : error;
}
