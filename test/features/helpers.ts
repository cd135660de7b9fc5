import { fitTrainingFeatures, type FitOptions, type InputColumn } from '../../models/features/feature-pipeline';
import type { RawRecord } from '../../models/features/raw-values';

export const target = { column: 'y', positive: '1', negative: '0' };

/** Fits on hand-made rows (label in `y`); `imbalance: none` unless asked, so matrices hold only real rows. */
export function fit(rows: RawRecord[], inputs: InputColumn[], options: FitOptions = {}) {
  return fitTrainingFeatures(rows, inputs, target, { imbalance: 'none', ...options });
}

/** A matrix's column as plain numbers (NaN kept), for deepEqual. */
export function column(data: Float32Array, cols: number, col: number): number[] {
  return Array.from({ length: data.length / cols }, (_, row) => data[row * cols + col]!);
}

/** Features of one record by name. */
export function byName(fitted: ReturnType<typeof fit>, record: RawRecord): Record<string, number> {
  const values = fitted.pipeline.transform([record]);
  return Object.fromEntries(fitted.state.featureNames.map((name, i) => [name, values[i]!]));
}
