import { valueKey, type ColumnView } from './columns';
import { indicesWhere } from './declared';
import { percent, plural, quote, rowFinding, type Finding } from './findings';
import type { ValidationRules } from './rules';

/**
 * Missing share per column: above the threshold (the column's own `maxMissingShare`, else the
 * dataset's) is an error; any missing value below it is noted as info so the report shows it.
 */
export function checkMissingShares(views: readonly ColumnView[], rules: ValidationRules, rows: number): Finding[] {
  const findings: Finding[] = [];
  for (const view of views) {
    if (view.missingCount === 0) continue;
    const limit = rules.columns[view.name]?.maxMissingShare ?? rules.maxMissingShare;
    const share = view.missingCount / rows;
    const over = share > limit;
    const message = `${view.name}: ${view.missingCount} of ${rows} values missing (${percent(view.missingCount, rows)})${over ? `, above the limit of ${percent(limit, 1)}` : ''}`;
    findings.push(rowFinding(over ? 'error' : 'info', 'missing-share', view.name, message, indicesWhere(view.missing)));
  }
  return findings;
}

/**
 * Rows equal to an earlier row in every compared column (all but the ignored and excluded ones, so
 * rows differing only in an identifier count). Missing values equal each other here.
 */
export function checkDuplicateRows(views: readonly ColumnView[], rules: ValidationRules, rows: number, skipped: readonly string[]): Finding[] {
  if (rules.duplicateRows === 'ignore' || views.length === 0) return [];
  // Rows are compared by per-column value ids and found through a hash of them: a string key per row
  // costs seconds on a million rows, ids and a hash a fraction of that.
  const ids = views.map((view) => valueIds(view, rows));
  const firstByHash = new Map<number, number>();
  // Rows whose hash an unequal earlier row already holds: rare, so kept apart from the common path.
  const collided = new Map<number, number[]>();
  const duplicates: number[] = [];
  let firstOriginal = -1;
  const sameRow = (a: number, b: number) => ids.every((column) => column[a] === column[b]);
  for (let i = 0; i < rows; i++) {
    let hash = 0;
    for (const column of ids) hash = (Math.imul(hash, 0x01000193) ^ column[i]!) >>> 0;
    const first = firstByHash.get(hash);
    let original: number | undefined;
    if (first === undefined) firstByHash.set(hash, i);
    else if (sameRow(first, i)) original = first;
    else {
      const others = collided.get(hash);
      original = others?.find((row) => sameRow(row, i));
      if (original === undefined) collided.set(hash, [...(others ?? []), i]);
    }
    if (original === undefined) continue;
    if (duplicates.length === 0) firstOriginal = original;
    duplicates.push(i);
  }
  if (duplicates.length === 0) return [];
  const ignoring = skipped.length > 0 ? ` (ignoring ${skipped.join(', ')})` : '';
  const message = `${duplicates.length} of ${plural(rows, 'row')} repeat an earlier row in all ${views.length} compared columns${ignoring}; first: row ${duplicates[0]! + 1} = row ${firstOriginal + 1}`;
  return [rowFinding(rules.duplicateRows, 'duplicate-rows', undefined, message, duplicates)];
}

/** Columns whose present values are all the same; they carry no signal. All-missing columns are missing-share's. */
export function checkConstantColumns(views: readonly ColumnView[], rules: ValidationRules): Finding[] {
  if (rules.constantColumns === 'ignore') return [];
  const findings: Finding[] = [];
  for (const view of views) {
    let first = -1;
    let constant = true;
    for (let i = 0; i < view.values.length && constant; i++) {
      if (view.missing[i]) continue;
      if (first < 0) first = i;
      else if (valueKey(view.values[i]) !== valueKey(view.values[first])) constant = false;
    }
    if (!constant || first < 0) continue;
    const present = view.values.length - view.missingCount;
    findings.push({
      severity: rules.constantColumns,
      check: 'constant-column',
      column: view.name,
      message: `${view.name}: all ${present} present values are ${quote(view.values[first])}`,
    });
  }
  return findings;
}

/**
 * Each value's id within its column: equal values (as `valueKey` compares them: by type and text, every
 * missing value alike) get equal ids, and 0 is missing.
 */
function valueIds(view: ColumnView, rows: number): Int32Array {
  const ids = new Int32Array(rows);
  const seen = new Map<string | number, number>();
  for (let i = 0; i < rows; i++) {
    if (view.missing[i]) continue;
    const value = view.values[i]!;
    // Numbers and strings are Map keys as they are (1 and "1" differ); a boolean reads as its text, as in valueKey.
    const key = typeof value === 'boolean' ? String(value) : value;
    let id = seen.get(key);
    if (id === undefined) seen.set(key, (id = seen.size + 1));
    ids[i] = id;
  }
  return ids;
}
