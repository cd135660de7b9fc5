import pl from 'nodejs-polars';
import { InputError } from '../../lib/errors';
import { typeColumns, type Table } from './column-types';
import { decodeText } from './text-decoding';

type JsonKind = 'a number' | 'text' | 'a boolean';

/**
 * Checks a JSON-lines file before the parser sees it, because the parser reports neither the line of
 * a syntax error nor a column whose lines disagree on the type (it silently turns them all into text).
 * Every non-blank line must be a JSON object whose values are numbers, text, booleans or null, each
 * key holding one kind of value throughout. Errors name the file, the line and the column.
 * Returns the number of rows.
 */
export function checkJsonLines(bytes: Uint8Array, file: string): number {
  const text = decodeText(bytes, file, 'utf8');
  const kinds = new Map<string, { kind: JsonKind; line: number }>();
  let rows = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const body = lines[index]!.trim();
    if (body === '') continue;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      throw new InputError(`${file}: line ${line} is not valid JSON: ${(error as Error).message}`, { file, line });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(`${file}: line ${line} is ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}, not a JSON object`, { file, line });
    }
    for (const [column, cell] of Object.entries(value)) {
      if (cell === null) continue;
      const kind = kindOf(cell);
      if (kind === undefined) {
        throw new InputError(`${file}: line ${line}, column "${column}" holds ${Array.isArray(cell) ? 'an array' : 'an object'}; only numbers, text, booleans and null can be ingested`, {
          file,
          line,
          column,
        });
      }
      const first = kinds.get(column);
      if (!first) kinds.set(column, { kind, line });
      else if (first.kind !== kind) {
        throw new InputError(`${file}: line ${line}, column "${column}" holds ${kind} where line ${first.line} holds ${first.kind}`, { file, line, column });
      }
    }
    rows++;
  }
  if (rows === 0) throw new InputError(`${file}: the file is empty`, { file });
  return rows;
}

function kindOf(cell: unknown): JsonKind | undefined {
  if (typeof cell === 'number') return 'a number';
  if (typeof cell === 'string') return 'text';
  if (typeof cell === 'boolean') return 'a boolean';
  return undefined;
}

/** A JSON-lines file (one object per line) as a typed table. */
export function parseJsonLinesTable(bytes: Buffer, file: string): Table {
  const rows = checkJsonLines(bytes, file);
  let raw: pl.DataFrame;
  try {
    raw = pl.readJSON(bytes, { format: 'lines', inferSchemaLength: null });
  } catch (error) {
    throw new InputError(`cannot read JSON lines ${file}: ${(error as Error).message}`, { file });
  }
  if (raw.height !== rows) throw new InputError(`${file}: the parser read ${raw.height} rows where the file has ${rows}`, { file });
  return typeColumns(raw, file);
}
