import { InputError } from '../../lib/errors';
import type { SourceConfig } from './source-config';
import { withoutCredentials } from './source-config';
import type { TextEncoding } from './text-decoding';

export type HttpSource = Extract<SourceConfig, { type: 'http' }>;
export type FileFormat = 'csv' | 'parquet' | 'jsonl';

export interface Download {
  bytes: Buffer;
  format: FileFormat;
  /** The CSV encoding: the config's, else the response's charset, else utf8. */
  encoding: TextEncoding;
}

const formatsByMediaType: Record<string, FileFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/parquet': 'parquet',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/jsonlines': 'jsonl',
};
const formatsByExtension: Record<string, FileFormat> = { csv: 'csv', parquet: 'parquet', jsonl: 'jsonl', ndjson: 'jsonl' };
const encodingsByCharset: Record<string, TextEncoding> = { 'utf-8': 'utf8', utf8: 'utf8', 'us-ascii': 'utf8', 'iso-8859-1': 'latin1', latin1: 'latin1' };
/** Statuses that may pass by themselves: the request is retried (with the activity) rather than failed for good. */
const transientStatuses = new Set([408, 425, 429]);

/**
 * Downloads an HTTP(S) source within its timeout (the whole body included) and tells its format.
 * Errors name the request: a 4xx answer is an InputError (retrying will not help); a 5xx, 408 or 429
 * answer, a timeout and a network failure are plain Errors, which the activity's retry policy retries.
 *
 * Incremental loading: `{watermark}` in the URL is replaced by the value the previous version reached
 * (`watermark`, URL-encoded; empty for the first version), so a server can send only the new rows.
 */
export async function download(spec: HttpSource, field: string, watermark?: number | string | null): Promise<Download> {
  const target = withWatermark(spec.url, field, watermark);
  const request = `GET ${withoutCredentials(target)}`;
  let response: Response;
  let bytes: Buffer;
  try {
    const { url, headers } = withBasicAuth(target);
    response = await fetch(url, { headers, signal: AbortSignal.timeout(spec.timeoutSeconds * 1000) });
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error(`${request}: no complete response within ${spec.timeoutSeconds} s (${field}.timeoutSeconds)`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${request}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    const message = `${request}: HTTP ${response.status} ${response.statusText}`.trim();
    if (response.status >= 500 || transientStatuses.has(response.status)) throw new Error(message);
    throw new InputError(message, { field: `${field}.url`, status: response.status });
  }
  const [mediaType = '', ...parameters] = (response.headers.get('content-type') ?? '').split(';').map((part) => part.trim().toLowerCase());
  const extension = /\.([a-z]+)$/i.exec(new URL(target).pathname)?.[1]?.toLowerCase() ?? '';
  const format = spec.format ?? formatsByMediaType[mediaType] ?? formatsByExtension[extension];
  if (!format) {
    throw new InputError(`${request}: cannot tell the format from content-type "${mediaType}" or the URL; set ${field}.format to csv, parquet or jsonl`, { field: `${field}.format` });
  }
  return { bytes, format, encoding: spec.encoding ?? charsetEncoding(parameters, request, field) };
}

/** Whether the URL asks for the rows past the watermark (`{watermark}`). */
export const namesWatermark = (spec: HttpSource) => spec.url.includes(WATERMARK);

function withWatermark(url: string, field: string, watermark: number | string | null | undefined): string {
  if (!url.includes(WATERMARK)) return url;
  if (watermark === undefined) {
    throw new InputError(`${field}.url: ${WATERMARK} is the value an incremental load reached; set incremental.watermark to the column it is read from`, { field: `${field}.url` });
  }
  return url.replaceAll(WATERMARK, encodeURIComponent(watermark ?? ''));
}

const WATERMARK = '{watermark}';

/** fetch refuses URLs with credentials: `https://user:password@host/…` becomes the URL without them and a Basic header. */
function withBasicAuth(text: string): { url: URL; headers: Record<string, string> } {
  const url = new URL(text);
  if (url.username === '' && url.password === '') return { url, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

function charsetEncoding(parameters: string[], request: string, field: string): TextEncoding {
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset === undefined) return 'utf8';
  const encoding = encodingsByCharset[charset];
  if (!encoding) throw new InputError(`${request}: the response's charset ${charset} is not supported; re-encode it as UTF-8 or set ${field}.encoding`, { field: `${field}.encoding` });
  return encoding;
}
