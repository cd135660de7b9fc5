import type { Frame, Layout, RowOp } from './frame';
import type { FittedStep } from './state';

/**
 * One kind of column step. Steps read named columns and write named columns: in place (impute, log1p,
 * clip) or new numeric ones (ratio, dates, text stats, missing indicators).
 */
export interface ColumnStep<F extends FittedStep> {
  reads(step: F): string[];
  writes(step: F): string[];
  /**
   * Learns what the step needs from the training rows' frame (impute's fill value, clip's bounds), as
   * the steps before it left them. Absent when there is nothing to learn. Errors name `path`.
   */
  fit?(step: F, frame: Frame, layout: Layout, path: string): F;
  compile(step: F, layout: Layout): RowOp;
}
