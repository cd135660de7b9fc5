import { InputError } from '../../lib/errors';
import { parseNumeric, type RawValue } from '../features/raw-values';
import { textOf } from '../validation/columns';
import type { ColumnProfile, NumberColumnProfile, StringColumnProfile } from '../validation/profile';

export type DriftLevel = 'none' | 'moderate' | 'major';

/** PSI from which a shift is moderate, and major. */
export interface DriftThresholds {
  moderate: number;
  major: number;
}

/** The usual rule of thumb: below 0.1 no real shift, 0.1 to 0.25 a moderate one, above 0.25 a major one. */
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { moderate: 0.1, major: 0.25 };

/**
 * What served data is compared with: the profile of each raw input column on the training data, and of
 * the model's scores on it (see `driftBaseline`). Plain JSON, so it can be stored or passed through Temporal.
 */
export interface DriftBaseline {
  columns: ColumnProfile[];
  score: NumberColumnProfile;
}

/** One served prediction: its raw inputs (as logged: JSON values) and the probability it was answered with. */
export interface DriftRow {
  inputs: Readonly<Record<string, unknown>>;
  probability: number;
}

/** One bin's share of the baseline (`expected`) and of the window (`actual`); number bins are labelled with 6 significant digits. */
export interface DriftBin {
  bin: string;
  expected: number;
  actual: number;
}

export interface ColumnDrift {
  column: string;
  type: 'number' | 'string';
  /** Population stability index over `bins`: Σ (actual − expected) · ln(actual / expected). */
  psi: number;
  level: DriftLevel;
  bins: DriftBin[];
  /**
   * Text values the training data never had, most frequent first (at most 10). Known only when the
   * baseline kept every training value (fewer distinct values than its top list holds).
   */
  unseen?: string[];
}

export interface DriftReport {
  rows: number;
  thresholds: DriftThresholds;
  /** The worst level among the columns and the score. */
  level: DriftLevel;
  columns: ColumnDrift[];
  /** Shift of the predicted probabilities, binned like a number column; `column` is "(score)". */
  score: ColumnDrift & { expectedMean: number | null; actualMean: number | null };
}

export interface DriftOptions {
  /** Default {@link DEFAULT_DRIFT_THRESHOLDS}. */
  thresholds?: Partial<DriftThresholds>;
}

/**
 * A share below this counts as this much, so an empty bin on one side gives a large but finite PSI
 * (a bin holding 5% of the window and none of the baseline adds 0.05 · ln(500) ≈ 0.31: major).
 */
const MIN_SHARE = 1e-4;
const MISSING = '(missing)';
const OTHER = '(other)';
const levels: readonly DriftLevel[] = ['none', 'moderate', 'major'];

/**
 * Compares a window of served predictions with the baseline, column by column: PSI on the baseline's
 * equal-frequency bins plus a missing bin for number columns, PSI on the baseline's most frequent
 * values plus an "other" and a missing bin for text columns, and PSI of the predicted probabilities
 * on the baseline score's bins. Pure: the caller reads the rows (e.g. the prediction log).
 *
 * @example
 *   const report = computeDrift(baseline, [{ inputs: { tenure: 3, Contract: 'Month-to-month' }, probability: 0.71 }]);
 *   report.columns.find((c) => c.column === 'tenure')?.level; // 'none' | 'moderate' | 'major'
 */
export function computeDrift(baseline: DriftBaseline, rows: readonly DriftRow[], options: DriftOptions = {}): DriftReport {
  const thresholds = checkThresholds({ ...DEFAULT_DRIFT_THRESHOLDS, ...options.thresholds });
  const columns = baseline.columns.map((profile) => {
    // Served inputs passed the record schema, so the columns compared hold raw values.
    const values = rows.map((row) => row.inputs[profile.name] as RawValue);
    const binned = profile.type === 'number' ? numberBins(profile, values) : textBins(profile, values.map(textOf));
    return scored(profile.name, profile.type, binned, thresholds);
  });
  const probabilities = rows.map((row) => row.probability);
  const score = scored('(score)', 'number', numberBins(baseline.score, probabilities), thresholds);
  const worst = Math.max(...[...columns, score].map((drift) => levels.indexOf(drift.level)));
  return {
    rows: rows.length,
    thresholds,
    level: levels[worst]!,
    columns,
    score: { ...score, expectedMean: baseline.score.mean, actualMean: rows.length === 0 ? null : probabilities.reduce((sum, p) => sum + p, 0) / rows.length },
  };
}

/** PSI of two distributions given as shares over the same bins. */
export function populationStabilityIndex(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) throw new InputError(`expected and actual need the same bins, got ${expected.length} and ${actual.length}`);
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, MIN_SHARE);
    const a = Math.max(actual[i]!, MIN_SHARE);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** The level of a PSI under the thresholds. */
export function driftLevel(psi: number, { moderate, major }: DriftThresholds): DriftLevel {
  return psi >= major ? 'major' : psi >= moderate ? 'moderate' : 'none';
}

function checkThresholds(thresholds: DriftThresholds): DriftThresholds {
  const { moderate, major } = thresholds;
  if (!(Number.isFinite(moderate) && moderate > 0 && Number.isFinite(major) && major > moderate)) {
    throw new InputError(`thresholds: expected 0 < moderate < major, got moderate ${moderate} and major ${major}`, { field: 'thresholds' });
  }
  return { moderate, major };
}

interface Binned {
  bins: DriftBin[];
  unseen?: string[];
}

function scored(column: string, type: 'number' | 'string', { bins, unseen }: Binned, thresholds: DriftThresholds): ColumnDrift {
  // An empty window has no distribution to compare; it shows as no drift with every actual share 0.
  const total = bins.reduce((sum, bin) => sum + bin.actual, 0);
  const psi = total === 0 ? 0 : populationStabilityIndex(bins.map((b) => b.expected), bins.map((b) => b.actual));
  return { column, type, psi, level: driftLevel(psi, thresholds), bins, ...(unseen ? { unseen } : {}) };
}

/**
 * The baseline histogram's bins, open at both ends (a value below the training minimum falls in the first
 * bin, one above the maximum in the last), and a missing bin: values that are missing or not numbers.
 */
function numberBins(profile: NumberColumnProfile, values: readonly RawValue[]): Binned {
  // A column missing in every training row has no histogram: any present value lands in one bin it never filled.
  const { edges, counts } = profile.histogram.counts.length > 0 ? profile.histogram : { edges: [-Infinity, Infinity], counts: [0] };
  const lowers = edges.slice(0, counts.length);
  const actual = new Array<number>(counts.length + 1).fill(0);
  for (const value of values) {
    const number = parseNumeric(value);
    if (number === undefined || Number.isNaN(number)) actual[counts.length]!++;
    else actual[binOf(lowers, number)]!++;
  }
  const share = shares(values.length);
  const edge = (i: number) => Number(edges[i]!.toPrecision(6));
  const bins = counts.map((count, i) => ({
    bin: i === counts.length - 1 ? `[${edge(i)}, ${edge(i + 1)}]` : `[${edge(i)}, ${edge(i + 1)})`,
    expected: count / profile.rows,
    actual: share(actual[i]!),
  }));
  bins.push({ bin: MISSING, expected: profile.missingShare, actual: share(actual[counts.length]!) });
  return { bins };
}

/** Index of the last lower edge at or below `value`, 0 below the first. */
function binOf(lowers: readonly number[], value: number): number {
  let low = 0;
  let high = lowers.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lowers[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The baseline's most frequent values, then "(other)" for the rest and any new value, then "(missing)". */
function textBins(profile: StringColumnProfile, texts: ReadonlyArray<string | null>): Binned {
  const presentShare = 1 - profile.missingShare;
  const index = new Map(profile.top.map((entry, i) => [entry.value, i]));
  const actual = new Array<number>(profile.top.length + 2).fill(0);
  const newValues = new Map<string, number>();
  for (const text of texts) {
    if (text === null) {
      actual[profile.top.length + 1]!++;
      continue;
    }
    const at = index.get(text);
    if (at !== undefined) actual[at]!++;
    else {
      actual[profile.top.length]!++;
      newValues.set(text, (newValues.get(text) ?? 0) + 1);
    }
  }
  const share = shares(texts.length);
  const bins = profile.top.map((entry, i) => ({ bin: entry.value, expected: entry.share * presentShare, actual: share(actual[i]!) }));
  bins.push({ bin: OTHER, expected: profile.otherShare * presentShare, actual: share(actual[profile.top.length]!) });
  bins.push({ bin: MISSING, expected: profile.missingShare, actual: share(actual[profile.top.length + 1]!) });
  // The top list holds every training value only when there were no more distinct values than it kept.
  const complete = profile.distinct === profile.top.length;
  const unseen = [...newValues].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map(([value]) => value);
  return { bins, ...(complete ? { unseen } : {}) };
}

function shares(total: number): (count: number) => number {
  return (count) => (total === 0 ? 0 : count / total);
}
