import path from 'node:path';
import { z } from 'zod';

/**
 * The `source:` / `sources:` / `incremental:` part of a pipeline config: where a dataset's rows come
 * from. Plain JSON once parsed, so it travels through Temporal as the ingest activity's input; secrets
 * stay out of it (a SQL connection may name an environment variable, read on the worker).
 */

const required = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? `required for type ${what}` : undefined) });

/** Text-file options shared by local CSV files and CSV over HTTP. */
/** One ASCII character: CSV checks scan the bytes, where it must be one byte in every encoding. */
const character = z.string().regex(/^[\x01-\x7f]$/, 'expected a single ASCII character');
const csvOptions = {
  delimiter: character.default(','),
  /** The character that quotes a field holding delimiters, newlines or doubled quotes. */
  quote: character.default('"'),
  /** Bytes that are not UTF-8 are an error unless the file declares its encoding here. */
  encoding: z.enum(['utf8', 'latin1']).default('utf8'),
};

const filePath = (type: string) => z.string(required(type)).min(1);

/** `sqlite:<file path>` or `postgres://…`, written in the config or read from an environment variable on the worker. */
const connection = z.union(
  [
    z.string().regex(/^(sqlite:(?!\/\/).+|postgres(ql)?:\/\/.+)$/i, 'expected "sqlite:<file path>" or "postgres://user@host:port/database"'),
    z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }).strict(),
  ],
  required('sql'),
);

const csv = z.object({ type: z.literal('csv'), path: filePath('csv'), ...csvOptions });
const parquet = z.object({ type: z.literal('parquet'), path: filePath('parquet') });
const jsonl = z.object({ type: z.literal('jsonl'), path: filePath('jsonl') });
const http = z.object({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: (issue) => (issue.input === undefined ? 'required for type http' : 'expected an http:// or https:// URL') }),
  /** Default: from the response's content-type, else from the URL's file extension. */
  format: z.enum(['csv', 'parquet', 'jsonl']).optional(),
  delimiter: csvOptions.delimiter,
  quote: csvOptions.quote,
  /** Default: the response's charset, else utf8. */
  encoding: csvOptions.encoding.unwrap().optional(),
  /** The whole request, download included, must finish within this many seconds. */
  timeoutSeconds: z.number().positive().max(3600).default(60),
});
const sql = z.object({ type: z.literal('sql'), connection, query: z.string(required('sql')).min(1) });

/** The five source types, each strict and extended by `extra`. */
function sourceUnion<Extra extends z.ZodRawShape>(extra: Extra) {
  return z.discriminatedUnion(
    'type',
    [csv.extend(extra).strict(), parquet.extend(extra).strict(), jsonl.extend(extra).strict(), http.extend(extra).strict(), sql.extend(extra).strict()],
    { error: 'expected type to be one of csv, parquet, jsonl, http, sql' },
  );
}

/** One source given alone (`source:`). */
export const sourceSchema = sourceUnion({});

/** How a listed source joins the rows of the sources before it; without it, its rows are appended (union). */
const joinSchema = z
  .object({
    on: z.array(z.string().min(1)).min(1),
    how: z.enum(['inner', 'left']).default('inner'),
  })
  .strict();

/** A source of a `sources:` list. */
export const listedSourceSchema = sourceUnion({ join: joinSchema.optional() });

/** Several sources combined in order: each one is appended to the rows before it, or joined to them. */
export const sourceListSchema = z
  .array(listedSourceSchema)
  .min(1)
  .superRefine((sources, context) => {
    if (sources[0]?.join) context.addIssue({ code: 'custom', path: [0, 'join'], message: 'the first source has nothing to join to' });
  });

/** Incremental loading: only rows past the last ingested watermark are added to the previous version's rows. */
export const incrementalSchema = z
  .object({
    /** A number or ISO date column that grows with each new row (an id, an update time). */
    watermark: z.string().min(1),
  })
  .strict();

export type SourceConfig = z.output<typeof sourceSchema>;
export type ListedSourceConfig = z.output<typeof listedSourceSchema>;
export type JoinSpec = z.output<typeof joinSchema>;
export type IncrementalConfig = z.output<typeof incrementalSchema>;

/** The config's ingestion part as the ingest activity receives it: exactly one of `source` and `sources`. */
export interface DatasetSources {
  source?: SourceConfig;
  sources?: ListedSourceConfig[];
  incremental?: IncrementalConfig;
}

/** A listed source with the config path that error messages name (`source`, `sources[1]`). */
export interface NamedSource {
  field: string;
  spec: ListedSourceConfig;
}

/** The sources in order, the shorthand `source:` as a list of one. */
export function namedSources({ source, sources }: DatasetSources): NamedSource[] {
  if (source) return [{ field: 'source', spec: source }];
  return (sources ?? []).map((spec, index) => ({ field: `sources[${index}]`, spec }));
}

/** Problem with the source forms of a parsed config: none, or a message for its path. */
export function checkSourceForms({ source, sources }: DatasetSources): { path: string[]; message: string } | undefined {
  if (source && sources) return { path: ['sources'], message: 'give either source or sources, not both' };
  if (!source && !sources) return { path: ['source'], message: 'required (or a sources: list)' };
  return undefined;
}

/** Resolves relative file paths and relative `sqlite:` connections against `folder` (the config file's). */
export function resolveSourcePaths<T extends DatasetSources>(config: T, folder: string): T {
  const resolve = <S extends ListedSourceConfig | SourceConfig>(spec: S): S => {
    if ('path' in spec) return { ...spec, path: path.resolve(folder, spec.path) };
    if (spec.type === 'sql' && typeof spec.connection === 'string' && /^sqlite:/i.test(spec.connection)) {
      const file = spec.connection.slice('sqlite:'.length);
      return file === ':memory:' ? spec : { ...spec, connection: `sqlite:${path.resolve(folder, file)}` };
    }
    return spec;
  };
  return { ...config, ...(config.source && { source: resolve(config.source) }), ...(config.sources && { sources: config.sources.map(resolve) }) };
}

/** A short, secret-free description of a source: its file, URL (without credentials) or query and database. */
export function describeSource(spec: SourceConfig | ListedSourceConfig): Record<string, unknown> {
  switch (spec.type) {
    case 'csv':
    case 'parquet':
    case 'jsonl':
      return { type: spec.type, path: spec.path };
    case 'http':
      return { type: spec.type, url: withoutCredentials(spec.url) };
    case 'sql':
      return { type: spec.type, connection: typeof spec.connection === 'string' ? withoutCredentials(spec.connection) : spec.connection, query: spec.query };
  }
}

/** Where a source's rows come from, in a few words: its file, URL or database (secret-free). */
export function sourceLocation(spec: SourceConfig | ListedSourceConfig): string {
  if (spec.type === 'http') return withoutCredentials(spec.url);
  if (spec.type === 'sql') return `query on ${typeof spec.connection === 'string' ? withoutCredentials(spec.connection) : `$${spec.connection.env}`}`;
  return spec.path;
}

/** A URL with its password (and user) masked, for messages and recorded lineage. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
