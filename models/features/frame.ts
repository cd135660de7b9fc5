import type { InputKind } from './state';

/**
 * Working columns of one or many rows while steps run: numeric and date columns (dates as ms since the
 * epoch) in Float64Arrays, categorical and text columns as strings (null: missing). Fitting runs the
 * steps over a frame of all training rows; serving over a frame of one row; the same compiled
 * functions do both, so a record gets the same features either way.
 */
export interface Frame {
  numbers: Float64Array[];
  strings: Array<Array<string | null>>;
}

/** A compiled step: updates one row of a frame. */
export type RowOp = (frame: Frame, row: number) => void;
/** A compiled encoder: writes one row's features at `out[at…]` (zeros already there). */
export type Emit = (frame: Frame, row: number, out: Float32Array, at: number) => void;

export const storedAsNumber = (kind: InputKind) => kind === 'numeric' || kind === 'date';

/** Where each named column lives in a frame. */
export class Layout {
  private readonly slots = new Map<string, { kind: InputKind; index: number }>();
  private numberCount = 0;
  private stringCount = 0;

  /** Adds a column (no-op for one already there: in-place steps keep their slot). */
  add(name: string, kind: InputKind): void {
    if (this.slots.has(name)) return;
    this.slots.set(name, { kind, index: storedAsNumber(kind) ? this.numberCount++ : this.stringCount++ });
  }

  kind(name: string): InputKind {
    return this.slot(name).kind;
  }

  /** Index of a numeric or date column in `frame.numbers`. */
  number(name: string): number {
    const slot = this.slot(name);
    if (!storedAsNumber(slot.kind)) throw new Error(`feature pipeline: column ${name} is ${slot.kind}, not numeric`);
    return slot.index;
  }

  /** Index of a categorical or text column in `frame.strings`. */
  string(name: string): number {
    const slot = this.slot(name);
    if (storedAsNumber(slot.kind)) throw new Error(`feature pipeline: column ${name} is ${slot.kind}, not categorical`);
    return slot.index;
  }

  createFrame(rows: number): Frame {
    return {
      numbers: Array.from({ length: this.numberCount }, () => new Float64Array(rows)),
      strings: Array.from({ length: this.stringCount }, () => new Array<string | null>(rows).fill(null)),
    };
  }

  private slot(name: string) {
    const slot = this.slots.get(name);
    // The state is checked when fitted; an unknown column here means a hand-edited or corrupt state.
    if (!slot) throw new Error(`feature pipeline: no column ${name} before it is read`);
    return slot;
  }
}
