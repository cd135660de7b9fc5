import { parseNumeric } from '../features/raw-values';
import { textOf, valueKey, type ColumnView } from './columns';
import { datesOf, parseIsoDate } from './dates';
import { percent, plural, quote, rowFinding, type Finding, type Severity } from './findings';
import type { ColumnRule, ValidationRules } from './rules';

/**
 * Checks each column declared under `columns` or `dates`: present, type, nullability, range, allowed
 * values, pattern, uniqueness. One finding per broken rule, each naming its rows.
 */
export function checkDeclaredColumns(views: ReadonlyMap<string, ColumnView>, rules: ValidationRules, rows: number): Finding[] {
  const findings: Finding[] = [];
  const declared = new Set([...Object.keys(rules.columns), ...Object.keys(rules.dates)]);
  for (const name of [...declared].sort()) {
    const view = views.get(name);
    const rule = rules.columns[name];
    const dates = rules.dates[name];
    const severity: Severity = rule?.severity ?? dates?.severity ?? 'error';
    if (!view) {
      findings.push({ severity: 'error', check: 'schema.column', column: name, message: `${name}: declared in the validation rules but not in the data` });
      continue;
    }
    const type = dates ? 'date' : rule?.type;
    // Numeric bounds make a column numeric even when its type is not declared.
    if (type === 'number' || (type === undefined && (rule?.min !== undefined || rule?.max !== undefined))) findings.push(...checkNumbers(view, rule, severity, rows));
    if (type === 'date') {
      const bounds = [rule?.min, dates?.min, rule?.max, dates?.max].map((bound) => (typeof bound === 'string' ? parseIsoDate(bound) : undefined));
      // Both places may bound the same column: the tighter bound wins.
      const min = maxDefined(bounds[0], bounds[1]);
      const max = minDefined(bounds[2], bounds[3]);
      findings.push(...checkDates(view, min, max, dates?.severity ?? severity, rows));
    }
    if (rule) findings.push(...checkRule(view, rule, severity, rows));
  }
  return findings;
}

function checkNumbers(view: ColumnView, rule: ColumnRule | undefined, severity: Severity, rows: number): Finding[] {
  const notNumbers: number[] = [];
  const below: number[] = [];
  const above: number[] = [];
  const min = typeof rule?.min === 'number' ? rule.min : -Infinity;
  const max = typeof rule?.max === 'number' ? rule.max : Infinity;
  for (let i = 0; i < view.values.length; i++) {
    if (view.missing[i]) continue;
    const number = parseNumeric(view.values[i]);
    if (number === undefined) notNumbers.push(i);
    else if (number < min) below.push(i);
    else if (number > max) above.push(i);
  }
  const findings: Finding[] = [];
  const name = view.name;
  if (notNumbers.length > 0) {
    const example = quote(view.values[notNumbers[0]!]);
    const declared = rule?.type === 'number' ? 'declared number' : 'has numeric bounds';
    findings.push(rowFinding(severity, 'schema.type', name, `${name}: ${declared}, but ${notNumbers.length} of ${rows} values are not numbers, e.g. ${example}`, notNumbers));
  }
  if (below.length > 0) findings.push(rowFinding(severity, 'range', name, `${name}: ${plural(below.length, 'value')} below min ${min}, e.g. ${quote(view.values[below[0]!])}`, below));
  if (above.length > 0) findings.push(rowFinding(severity, 'range', name, `${name}: ${plural(above.length, 'value')} above max ${max}, e.g. ${quote(view.values[above[0]!])}`, above));
  return findings;
}

function checkDates(view: ColumnView, min: number | undefined, max: number | undefined, severity: Severity, rows: number): Finding[] {
  const notDates: number[] = [];
  const outside: number[] = [];
  const times = datesOf(view);
  for (let i = 0; i < times.length; i++) {
    if (view.missing[i]) continue;
    const time = times[i]!;
    if (Number.isNaN(time)) notDates.push(i);
    else if ((min !== undefined && time < min) || (max !== undefined && time > max)) outside.push(i);
  }
  const findings: Finding[] = [];
  const name = view.name;
  if (notDates.length > 0) {
    findings.push(rowFinding(severity, 'schema.type', name, `${name}: declared date, but ${notDates.length} of ${rows} values are not ISO dates (YYYY-MM-DD[ HH:MM[:SS]][zone]), e.g. ${quote(view.values[notDates[0]!])}`, notDates));
  }
  if (outside.length > 0) {
    const range = `${min === undefined ? '…' : isoDay(min)} to ${max === undefined ? '…' : isoDay(max)}`;
    findings.push(rowFinding(severity, 'date-range', name, `${name}: ${plural(outside.length, 'date')} outside ${range}, e.g. ${quote(view.values[outside[0]!])}`, outside));
  }
  return findings;
}

function checkRule(view: ColumnView, rule: ColumnRule, severity: Severity, rows: number): Finding[] {
  const findings: Finding[] = [];
  const name = view.name;
  if (rule.nullable === false && view.missingCount > 0) {
    const indices = indicesWhere(view.missing);
    findings.push(rowFinding(severity, 'schema.nullable', name, `${name}: declared not nullable, but ${view.missingCount} of ${rows} values (${percent(view.missingCount, rows)}) are missing`, indices));
  }
  if (rule.allowed) findings.push(...checkAllowed(view, rule.allowed, severity));
  if (rule.pattern !== undefined) {
    const pattern = new RegExp(rule.pattern, 'u');
    const failing: number[] = [];
    for (let i = 0; i < view.values.length; i++) {
      const text = textOf(view.values[i]);
      if (text !== null && !pattern.test(text)) failing.push(i);
    }
    if (failing.length > 0) {
      findings.push(rowFinding(severity, 'pattern', name, `${name}: ${plural(failing.length, 'value')} not matching /${rule.pattern}/, e.g. ${quote(view.values[failing[0]!])}`, failing));
    }
  }
  if (rule.unique) {
    const firstSeen = new Map<string, number>();
    const repeats: number[] = [];
    for (let i = 0; i < view.values.length; i++) {
      if (view.missing[i]) continue;
      const key = valueKey(view.values[i]);
      if (firstSeen.has(key)) repeats.push(i);
      else firstSeen.set(key, i);
    }
    if (repeats.length > 0) {
      const first = repeats[0]!;
      const original = firstSeen.get(valueKey(view.values[first]))! + 1;
      findings.push(rowFinding(severity, 'unique', name, `${name}: declared unique, but ${plural(repeats.length, 'value')} repeat an earlier row, e.g. ${quote(view.values[first])} first seen in row ${original}`, repeats));
    }
  }
  return findings;
}

function checkAllowed(view: ColumnView, allowed: ReadonlyArray<string | number>, severity: Severity): Finding[] {
  const texts = new Set(allowed.map(String));
  // 1 and "1.0" name the same number: a number cell is allowed if any allowed entry is that number.
  const numbers = new Set(allowed.map((entry) => parseNumeric(entry)).filter((n): n is number => n !== undefined && !Number.isNaN(n)));
  const failing: number[] = [];
  const counts = new Map<string, number>();
  for (let i = 0; i < view.values.length; i++) {
    if (view.missing[i]) continue;
    const value = view.values[i];
    const ok = typeof value === 'number' ? numbers.has(value) || texts.has(String(value)) : texts.has(String(value));
    if (ok) continue;
    failing.push(i);
    const text = String(value);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  if (failing.length === 0) return [];
  const shown = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([text, count]) => `${quote(text)} ×${count}`);
  const more = counts.size > 5 ? ` and ${counts.size - 5} more` : '';
  return [rowFinding(severity, 'allowed-values', view.name, `${view.name}: ${plural(failing.length, 'value')} not in the allowed list: ${shown.join(', ')}${more}`, failing)];
}

export function indicesWhere(mask: Uint8Array): number[] {
  const indices: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) indices.push(i);
  return indices;
}

function isoDay(time: number): string {
  const text = new Date(time).toISOString();
  return text.endsWith('T00:00:00.000Z') ? text.slice(0, 10) : text.slice(0, 19).replace('T', ' ');
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
