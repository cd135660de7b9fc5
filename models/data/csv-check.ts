import { InputError } from '../../lib/errors';
import { checkUtf8, type TextEncoding } from './text-decoding';

export interface CsvFormat {
  /** Default `"`. */
  quote?: string;
  /** Default utf8: other bytes are an error naming their line. */
  encoding?: TextEncoding;
  /** The config path named in hints: `source` (default) or `sources[i]`. */
  field?: string;
}

const LF = 10;
const CR = 13;

/**
 * Checks a CSV file's bytes before the parser sees them, because a lenient parser pads or truncates
 * ragged rows and so loses data silently. Errors name the file, the line and the problem:
 * not UTF-8 (unless another encoding is declared), empty, no data rows, a header that looks split by
 * another delimiter, a row with the wrong number of fields. Quoted fields (with doubled quotes,
 * delimiters and newlines inside) count as one. Scans the bytes themselves (the delimiter and quote
 * are ASCII, so they are single bytes in UTF-8 and latin1 alike): no decoded copy of the file.
 */
export function checkCsvBytes(
  bytes: Uint8Array,
  file: string,
  delimiter = ',',
  { quote = '"', encoding = 'utf8', field = 'source' }: CsvFormat = {},
): { dataRows: number; columns: number } {
  if (encoding === 'utf8') checkUtf8(bytes, file, `${field}.encoding`);
  const begin = encoding === 'utf8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (bytes.subarray(begin).every(isSpace)) throw new InputError(`${file}: the file is empty`, { file });
  const separator = delimiter.charCodeAt(0);
  const quoteCode = quote.charCodeAt(0);
  if (separator > 127 || quoteCode > 127) throw new InputError(`${field}: the delimiter and the quote must be ASCII characters`, { field });
  let fields = 1;
  let line = 1;
  let recordLine = 1;
  let expected = -1;
  let dataRows = 0;
  let quoted = false;
  const endRecord = (end: number) => {
    if (expected < 0) {
      expected = fields;
      const header = Buffer.from(bytes.buffer, bytes.byteOffset + begin, end - begin).toString(encoding);
      const other = [';', '\t', '|', ','].find((candidate) => candidate !== delimiter && header.includes(candidate));
      if (fields === 1 && other) {
        const shown = other === '\t' ? '\\t' : other;
        throw new InputError(`${file}: the header has one column but contains "${shown}": is the delimiter "${shown}" rather than "${delimiter}"? (${field}.delimiter)`, { file, field: `${field}.delimiter` });
      }
    } else if (fields !== expected) {
      throw new InputError(`${file}: line ${recordLine} has ${fields} fields, the header has ${expected}`, { file, line: recordLine });
    } else {
      dataRows++;
    }
  };
  for (let i = begin; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (quoted) {
      if (c === quoteCode) {
        if (bytes[i + 1] === quoteCode) i++;
        else quoted = false;
      } else if (c === LF) line++;
      continue;
    }
    if (c === quoteCode) quoted = true;
    else if (c === separator) fields++;
    else if (c === LF || c === CR) {
      endRecord(i);
      if (c === CR && bytes[i + 1] === LF) i++;
      line++;
      recordLine = line;
      fields = 1;
      // Blank lines between records (and the final newline) are not records.
      while (bytes[i + 1] === LF || bytes[i + 1] === CR) {
        i++;
        if (bytes[i] === LF) { line++; recordLine = line; }
      }
    }
  }
  if (quoted) throw new InputError(`${file}: a quoted field opened on or before line ${recordLine} is never closed`, { file, line: recordLine });
  if (!endsWithNewline(bytes)) endRecord(bytes.length);
  if (dataRows === 0) throw new InputError(`${file}: the file has a header but no data rows`, { file });
  return { dataRows, columns: expected };
}

function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

/** A line break followed by nothing but white space: the last record is complete. */
function endsWithNewline(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 1; i >= 0 && isSpace(bytes[i]!); i--) if (bytes[i] === LF || bytes[i] === CR) return true;
  return false;
}
