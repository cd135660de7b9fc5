import type { RawRecord } from '../features/raw-values';
import { columnView, numbersOf, textOf, type SchemaColumn } from './columns';

/** Probabilities of the quantiles kept for each numeric column. */
export const PROFILE_QUANTILES = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1] as const;
export const HISTOGRAM_BINS = 10;
export const TOP_CATEGORIES = 20;

interface ProfileBase {
  name: string;
  rows: number;
  /** Missing: null, blank, NaN — and, in a number column, a value that is not a number. */
  missing: number;
  missingShare: number;
}

export interface NumberColumnProfile extends ProfileBase {
  type: 'number';
  mean: number | null;
  /** Linear interpolation between order statistics (numpy's default); empty when nothing is present. */
  quantiles: Array<{ p: number; value: number }>;
  /**
   * Equal-frequency bins: bin i holds values in [edges[i], edges[i + 1]), the last bin is closed and
   * ends at the maximum. Tied values never straddle an edge, so a 0/1 column has two bins, edges
   * [0, 1, 1], and the bins may hold unequal counts.
   */
  histogram: { edges: number[]; counts: number[] };
}

export interface StringColumnProfile extends ProfileBase {
  type: 'string';
  distinct: number;
  /** Most frequent values first (ties by value); shares are of the present values. */
  top: Array<{ value: string; count: number; share: number }>;
  /** Share of the present values outside `top`. */
  otherShare: number;
}

export type ColumnProfile = NumberColumnProfile | StringColumnProfile;

/** A dataset's profile: plain JSON, kept with the dataset version as monitoring's baseline. */
export interface DatasetProfile {
  rows: number;
  columns: ColumnProfile[];
}

/**
 * Profiles each schema column: missing share; for numbers quantiles at {@link PROFILE_QUANTILES} and a
 * {@link HISTOGRAM_BINS}-bin equal-frequency histogram; for text the {@link TOP_CATEGORIES} most
 * frequent values and the share of the rest.
 *
 * @example profileDataset([{ x: 1 }, { x: 2 }], [{ name: 'x', type: 'number' }]).columns[0]
 */
export function profileDataset(records: readonly RawRecord[], schema: readonly SchemaColumn[]): DatasetProfile {
  const rows = records.length;
  const columns = schema.map((column): ColumnProfile => {
    const view = columnView(records, column);
    return column.type === 'number' ? profileNumbers(column.name, numbersOf(view).numbers, rows) : profileTexts(column.name, view.values.map(textOf), rows);
  });
  return { rows, columns };
}

function profileNumbers(name: string, numbers: Float64Array, rows: number): NumberColumnProfile {
  const present = numbers.filter((n) => !Number.isNaN(n)).sort();
  const missing = rows - present.length;
  const base = { name, type: 'number' as const, rows, missing, missingShare: rows === 0 ? 0 : missing / rows };
  if (present.length === 0) return { ...base, mean: null, quantiles: [], histogram: { edges: [], counts: [] } };
  let sum = 0;
  for (const n of present) sum += n;
  return {
    ...base,
    mean: sum / present.length,
    quantiles: PROFILE_QUANTILES.map((p) => ({ p, value: quantileOfSorted(present, p) })),
    histogram: equalFrequencyHistogram(present),
  };
}

/** Type-7 quantile of sorted values. */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

function equalFrequencyHistogram(sorted: Float64Array): { edges: number[]; counts: number[] } {
  // Lower edges are actual values (quantiles without interpolation), so each edge's ties stay in one bin.
  const lowers: number[] = [];
  for (let bin = 0; bin < HISTOGRAM_BINS; bin++) {
    const edge = sorted[Math.floor((sorted.length * bin) / HISTOGRAM_BINS)]!;
    if (lowers.length === 0 || edge > lowers[lowers.length - 1]!) lowers.push(edge);
  }
  const counts = new Array<number>(lowers.length).fill(0);
  let bin = 0;
  for (const value of sorted) {
    while (bin + 1 < lowers.length && value >= lowers[bin + 1]!) bin++;
    counts[bin]!++;
  }
  return { edges: [...lowers, sorted[sorted.length - 1]!], counts };
}

function profileTexts(name: string, texts: Array<string | null>, rows: number): StringColumnProfile {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const text of texts) {
    if (text === null) missing++;
    else counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  const present = rows - missing;
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP_CATEGORIES);
  const top = ranked.map(([value, count]) => ({ value, count, share: count / present }));
  const inTop = ranked.reduce((sum, [, count]) => sum + count, 0);
  return {
    name,
    type: 'string',
    rows,
    missing,
    missingShare: rows === 0 ? 0 : missing / rows,
    distinct: counts.size,
    top,
    otherShare: present === 0 ? 0 : (present - inTop) / present,
  };
}
