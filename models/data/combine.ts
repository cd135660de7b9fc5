import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';
import { tableOf, type ColumnSchema, type Table } from './column-types';
import type { JoinSpec } from './source-config';

/** Column that keeps the left rows' order through a join (polars may reorder an inner join's rows). */
const ROW = '__kiln_row';

/**
 * Appends `added`'s rows to `base`'s: both must have the same columns (in any order; `base`'s order
 * is kept) and each column the same type, though a column with no values at all takes the other's
 * type. Errors name both sides by their labels, e.g. "sources[1] (b.csv)" and "the sources before it".
 */
export function unionTables(base: Table, added: Table, labels: { base: string; added: string }): Table {
  const baseNames = base.schema.map((c) => c.name);
  const addedNames = new Set(added.schema.map((c) => c.name));
  const lacking = baseNames.filter((name) => !addedNames.has(name));
  const extra = [...addedNames].filter((name) => !baseNames.includes(name));
  if (lacking.length > 0 || extra.length > 0) {
    const differences = [
      ...(lacking.length > 0 ? [`lacks ${quoteAll(lacking)}`] : []),
      ...(extra.length > 0 ? [`has ${quoteAll(extra)} in addition`] : []),
    ];
    throw new InputError(`${labels.added} does not have the columns of ${labels.base}: it ${differences.join(' and ')}`, { lacking, extra });
  }
  const addedTypes = new Map(added.schema.map((c) => [c.name, c]));
  const casts = base.schema.map((column) => {
    const other = addedTypes.get(column.name)!;
    if (other.type === column.type || isEmpty(other, added) || isEmpty(column, base)) {
      return pl.col(column.name).cast(column.type === 'number' || (isEmpty(column, base) && other.type === 'number') ? pl.Float64 : pl.Utf8);
    }
    throw new InputError(`column "${column.name}" holds ${kind(column)} in ${labels.base} but ${kind(other)} in ${labels.added}`, { column: column.name });
  });
  return tableOf(pl.concat([base.frame.select(...casts), added.frame.select(...casts)]));
}

/**
 * Joins `right`'s columns to `left`'s rows on the key columns, keeping `left`'s row order: `inner`
 * keeps the rows with a match, `left` keeps every row (missing values where nothing matches). The keys
 * must be in both tables with one type, `right` must hold one row per key (so a join never multiplies
 * rows) and the tables may share no other column. `field` is the joined source's config path.
 */
export function joinTables(left: Table, right: Table, spec: JoinSpec, labels: { left: string; right: string; field: string }): Table {
  const leftTypes = new Map(left.schema.map((c) => [c.name, c]));
  const rightTypes = new Map(right.schema.map((c) => [c.name, c]));
  for (const key of spec.on) {
    const [l, r] = [leftTypes.get(key), rightTypes.get(key)];
    if (!l || !r) throw new InputError(`${labels.field}.join.on: "${key}" is not a column of ${!r ? labels.right : labels.left}`, { field: `${labels.field}.join.on` });
    if (l.type !== r.type) throw new InputError(`${labels.field}.join.on: "${key}" holds ${kind(l)} in ${labels.left} but ${kind(r)} in ${labels.right}`, { field: `${labels.field}.join.on` });
  }
  const shared = right.schema.map((c) => c.name).filter((name) => leftTypes.has(name) && !spec.on.includes(name));
  if (shared.length > 0) {
    throw new InputError(`${labels.field}: ${labels.right} and ${labels.left} both have ${quoteAll(shared)}; joined sources may share only their keys (${quoteAll(spec.on)})`, {
      field: labels.field,
      shared,
    });
  }
  const keys = right.frame.select(...spec.on);
  const duplicated = keys.isDuplicated().toArray() as boolean[];
  const first = duplicated.indexOf(true);
  if (first >= 0) {
    const key = spec.on.map((name) => `${name}=${JSON.stringify(keys.getColumn(name).get(first))}`).join(', ');
    const firstKey = JSON.stringify(keys.row(first));
    const rows = duplicated.flatMap((dup, row) => (dup && JSON.stringify(keys.row(row)) === firstKey ? [row + 1] : []));
    throw new InputError(`${labels.field}: ${labels.right} has ${rows.length} rows with the key ${key} (rows ${rows.slice(0, 5).join(', ')}); a joined source needs one row per key`, {
      field: labels.field,
      rows,
    });
  }
  const joined = left.frame.withRowIndex(ROW).join(right.frame, { on: spec.on, how: spec.how }).sort(ROW).drop(ROW);
  if (joined.height === 0) throw new InputError(`${labels.field}.join: no row of ${labels.right} matches a row of ${labels.left} on ${quoteAll(spec.on)}`, { field: `${labels.field}.join` });
  return tableOf(joined);
}

function isEmpty(column: ColumnSchema, table: Table): boolean {
  return column.missing === table.frame.height;
}

function kind(column: ColumnSchema): string {
  return column.type === 'number' ? 'numbers' : 'text';
}

function quoteAll(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}
