import { textOf, type ColumnView } from './columns';
import { percent, rowFinding, type Finding } from './findings';
import type { ValidationRules } from './rules';

export interface TargetSpec {
  column: string;
  /** The positive class; every other present value is negative. */
  positive: string;
  /** Only rows whose target is one of these are trained on (the config's `target.keep`); absent: every row. */
  keep?: readonly string[];
}

export interface TargetResult {
  findings: Finding[];
  /** 1 positive, 0 negative, -1 missing or dropped by `keep`; absent when the target column is. */
  labels?: Int8Array;
  /** Both classes reach `minClassCount`, so per-feature AUCs mean something. */
  usable: boolean;
}

/**
 * Target present, at least two classes, the positive class among them, each side ≥ minClassCount.
 * With `keep`, the classes are counted over the kept rows only (training drops the others), a kept class
 * that never occurs is an error (a typo would silently train on fewer classes), and the dropped rows get
 * label -1 so the leakage check leaves them out too. Row numbers stay the file's.
 */
export function checkTarget(view: ColumnView | undefined, target: TargetSpec, rules: ValidationRules, rows: number): TargetResult {
  const name = target.column;
  if (!view) {
    return { findings: [{ severity: 'error', check: 'target.present', column: name, message: `target column ${name} is not in the data` }], usable: false };
  }
  const findings: Finding[] = [];
  const positiveNumber = Number(target.positive);
  const labels = new Int8Array(rows);
  const classes = new Map<string, number>();
  const missing: number[] = [];
  const keep = target.keep && new Set(target.keep);
  const dropped = new Map<string, number>();
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    const value = view.values[i];
    const text = textOf(value);
    if (text === null) {
      labels[i] = -1;
      missing.push(i);
      continue;
    }
    if (keep && !keep.has(text)) {
      labels[i] = -1;
      dropped.set(text, (dropped.get(text) ?? 0) + 1);
      continue;
    }
    classes.set(text, (classes.get(text) ?? 0) + 1);
    // A numeric target read from CSV holds 1, and the config may say "1" or "1.0".
    const positive = text === target.positive || (typeof value === 'number' && value === positiveNumber);
    labels[i] = positive ? 1 : 0;
    if (positive) positives++;
  }
  const droppedCount = [...dropped.values()].reduce((sum, count) => sum + count, 0);
  const present = rows - missing.length - droppedCount;
  const negatives = present - positives;
  if (missing.length > 0) {
    findings.push(rowFinding('warning', 'target.missing', name, `target ${name}: ${missing.length} of ${rows} rows have no label (${percent(missing.length, rows)}); training drops them`, missing));
  }
  const shown = classListing(classes);
  if (droppedCount > 0) {
    findings.push({ severity: 'info', check: 'target.keep', column: name, message: `target ${name}: ${droppedCount} of ${rows} rows dropped by target.keep (${classListing(dropped)}); the class counts below are of the kept rows` });
  }
  // The positive class has its own check below.
  for (const value of (target.keep ?? []).filter((kept) => kept !== target.positive)) {
    if (!classes.has(value)) findings.push({ severity: 'error', check: 'target.keep', column: name, message: `target.keep: class ${JSON.stringify(value)} never occurs in ${name}; classes: ${classListing(new Map([...classes, ...dropped]))}` });
  }
  if (classes.size < 2) {
    findings.push({ severity: 'error', check: 'target.classes', column: name, message: `target ${name}: needs at least two classes, found ${classes.size}${classes.size ? ` (${shown})` : ''}` });
  } else if (positives === 0) {
    findings.push({ severity: 'error', check: 'target.classes', column: name, message: `target ${name}: positive class ${JSON.stringify(target.positive)} never occurs; classes: ${shown}` });
  } else {
    const rest = classes.size > 2 ? `; ${classes.size - 1} other classes count as negative` : '';
    findings.push({ severity: 'info', check: 'target.classes', column: name, message: `target ${name}: ${positives} positive (${percent(positives, present)}), ${negatives} negative; classes: ${shown}${rest}` });
  }
  const usable = positives >= rules.minClassCount && negatives >= rules.minClassCount;
  if (!usable && classes.size >= 2 && positives > 0) {
    const [side, count] = positives < rules.minClassCount ? ['positive', positives] : ['negative', negatives];
    findings.push({ severity: 'error', check: 'target.min-class-count', column: name, message: `target ${name}: only ${count} ${side} rows, fewer than minClassCount ${rules.minClassCount}` });
  }
  return { findings, labels, usable };
}

/** `"a" 30, "b" 12, …` by count, largest first, at most ten. */
function classListing(counts: ReadonlyMap<string, number>): string {
  const listing = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return listing.slice(0, 10).map(([label, count]) => `${JSON.stringify(label)} ${count}`).join(', ') + (listing.length > 10 ? `, … ${listing.length - 10} more` : '');
}
