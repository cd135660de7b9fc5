import path from 'node:path';
import knex, { type Knex } from 'knex';
import pl from 'nodejs-polars';
import { types as pgTypes } from 'pg';
import { InputError } from '../../lib/errors';
import { formatDateTime, nothingNew, typeColumns, type Table } from './column-types';
import { withoutCredentials, type SourceConfig } from './source-config';

export type SqlSource = Extract<SourceConfig, { type: 'sql' }>;

/** PostgreSQL type ids whose values keep their text: a `date` or zone-less `timestamp` is no instant, so not a JS Date. */
const PG_DATE = 1082;
const PG_TIMESTAMP = 1114;

/**
 * Runs a source's query through knex, read-only (a SQLite file opened read-only, a PostgreSQL
 * transaction set READ ONLY), and types the result like any other source. The connection comes from
 * the config or, for secrets, from the environment variable it names, read here on the worker so the
 * URL never enters the workflow's history. Errors name the source's config path and the database
 * (password masked): a bad query, a missing table or database, refused credentials are InputErrors;
 * an unreachable or busy server is a plain Error, retried with the activity.
 *
 * Incremental loading: a query may name the parameter `:watermark`, bound to the value the previous
 * version reached (`watermark`; null for the first version), to read only the new rows instead of the
 * whole table, e.g. `WHERE :watermark IS NULL OR updated_at > :watermark` (PostgreSQL needs the first one
 * typed: `:watermark::timestamptz IS NULL`). It may then return no rows. On PostgreSQL such a query runs
 * with the session time zone UTC, the zone Kiln writes times in.
 */
export async function querySource(spec: SqlSource, field: string, env: NodeJS.ProcessEnv = process.env, watermark?: number | string | null): Promise<Table> {
  const url = connectionUrl(spec, field, env);
  const origin = `${field} (${withoutCredentials(url)})`;
  const bindings = usesWatermark(spec) ? { watermark: watermarkBinding(field, watermark) } : undefined;
  const db = openReadOnly(url, field);
  const query = (on: Knex | Knex.Transaction) => (bindings ? on.raw(spec.query, bindings) : on.raw(spec.query));
  let rows: Array<Record<string, unknown>>;
  let names: string[];
  try {
    if (db.client.dialect === 'postgresql') {
      const result = await db.transaction(async (trx) => {
        await trx.raw('SET TRANSACTION READ ONLY');
        // Times are read and recorded in UTC, so a bound watermark without a zone means UTC to a timestamptz too.
        if (bindings) await trx.raw("SET LOCAL TIME ZONE 'UTC'");
        return (await query(trx)) as { rows: Array<Record<string, unknown>>; fields: Array<{ name: string }> };
      });
      rows = result.rows;
      names = result.fields.map((f) => f.name);
    } else {
      rows = (await query(db)) as Array<Record<string, unknown>>;
      names = Object.keys(rows[0] ?? {});
    }
  } catch (error) {
    throw queryError(error, origin, field);
  } finally {
    await db.destroy();
  }
  if (Array.isArray(rows) && rows.length === 0 && bindings?.watermark != null) return nothingNew();
  if (!Array.isArray(rows) || rows.length === 0) throw new InputError(`${origin}: the query returned no rows`, { field: `${field}.query` });
  const columns = names.map((name) => toSeries(name, rows.map((row) => row[name]), origin));
  return typeColumns(pl.DataFrame(columns), origin);
}

/** Whether the query names the `:watermark` parameter (knex's named binding syntax; `::` casts are not names). */
function usesWatermark(spec: SqlSource): boolean {
  return /(^|[^:\w]):watermark\b/.test(spec.query);
}

function watermarkBinding(field: string, watermark: number | string | null | undefined): number | string | null {
  if (watermark === undefined) {
    throw new InputError(`${field}.query: :watermark is the value an incremental load reached; set incremental.watermark to the column it is read from`, { field: `${field}.query` });
  }
  return watermark;
}

function connectionUrl(spec: SqlSource, field: string, env: NodeJS.ProcessEnv): string {
  if (typeof spec.connection === 'string') return spec.connection;
  const value = env[spec.connection.env];
  if (!value) throw new InputError(`${field}.connection: the environment variable ${spec.connection.env} is not set on this worker`, { field: `${field}.connection` });
  if (!/^(sqlite:|postgres(ql)?:\/\/)/i.test(value)) {
    throw new InputError(`${field}.connection: ${spec.connection.env} should hold "sqlite:<file path>" or "postgres://…", got "${withoutCredentials(value)}"`, { field: `${field}.connection` });
  }
  return value;
}

function openReadOnly(url: string, field: string): Knex {
  if (/^sqlite:/i.test(url)) {
    const filename = url.slice('sqlite:'.length);
    if (filename === '' || filename === ':memory:') throw new InputError(`${field}.connection: a SQLite source needs a file, got "${url}"`, { field: `${field}.connection` });
    return knex({ client: 'better-sqlite3', connection: { filename: path.resolve(filename), options: { readonly: true } }, useNullAsDefault: true });
  }
  return knex({
    client: 'pg',
    connection: {
      connectionString: url,
      types: { getTypeParser: (oid: number, format: string) => (oid === PG_DATE || oid === PG_TIMESTAMP ? (text: string) => text : pgTypes.getTypeParser(oid, format as 'text')) },
    },
    pool: { min: 0, max: 1 },
    // A failed connection is this function's error to report (named, masked), not knex's to log.
    log: { warn: () => {}, error: () => {}, debug: () => {}, deprecate: () => {} },
    // An unreachable server fails the attempt in seconds; the activity's retry policy tries again later.
    acquireConnectionTimeout: 10_000,
  });
}

/** A column of query results: numbers stay numbers; text, booleans and dates become text for `typeColumns`. */
function toSeries(name: string, values: unknown[], origin: string): pl.Series {
  if (values.every((value) => value === null || typeof value === 'number' || typeof value === 'bigint')) {
    return pl.Series(name, values.map((value) => (value === null ? null : Number(value))), pl.Float64);
  }
  const texts = values.map((value, row) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    if (value instanceof Date) return formatDateTime(value);
    throw new InputError(`${origin}: column "${name}" row ${row + 1} holds ${Buffer.isBuffer(value) ? 'binary data' : 'an object'}; only numbers, text, booleans and dates can be ingested`, {
      column: name,
      row: row + 1,
    });
  });
  return pl.Series(name, texts, pl.Utf8);
}

/** SQLSTATE classes of a query that is wrong or not allowed: retrying will not help. */
const permanentSqlStates = new Set(['0A', '21', '22', '23', '25', '28', '3D', '3F', '42']);
const transientSqliteCodes = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL']);

function queryError(error: unknown, origin: string, field: string): Error {
  const { code, message } = error as { code?: string; message?: string };
  const text = `${origin}: ${withoutCredentials(message ?? String(error))}`;
  // SQLite's extended codes (SQLITE_BUSY_SNAPSHOT) share their primary code's fate.
  const sqliteCode = code?.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : undefined;
  const permanent = sqliteCode ? !transientSqliteCodes.has(sqliteCode) : code !== undefined && /^[0-9A-Z]{5}$/.test(code) && permanentSqlStates.has(code.slice(0, 2));
  return permanent ? new InputError(text, { field: `${field}.query`, code }) : new Error(text, { cause: error });
}
