import { InputError } from '../../lib/errors';
import { decodeText, type TextEncoding } from './text-decoding';

export interface CsvFormat {
  /** Default `"`. */
  quote?: string;
  /** Default utf8: other bytes are an error naming their line. */
  encoding?: TextEncoding;
  /** The config path named in hints: `source` (default) or `sources[i]`. */
  field?: string;
}

/**
 * Checks a CSV file's bytes before the parser sees them, because a lenient parser pads or truncates
 * ragged rows and so loses data silently. Errors name the file, the line and the problem:
 * not UTF-8 (unless another encoding is declared), empty, no data rows, a header that looks split by
 * another delimiter, a row with the wrong number of fields. Quoted fields (with doubled quotes,
 * delimiters and newlines inside) count as one.
 */
export function checkCsvBytes(
  bytes: Uint8Array,
  file: string,
  delimiter = ',',
  { quote = '"', encoding = 'utf8', field = 'source' }: CsvFormat = {},
): { dataRows: number; columns: number } {
  const text = decodeText(bytes, file, encoding, `${field}.encoding`);
  if (text.trim() === '') throw new InputError(`${file}: the file is empty`, { file });
  const separator = delimiter.charCodeAt(0);
  const quoteCode = quote.charCodeAt(0);
  let fields = 1;
  let line = 1;
  let recordLine = 1;
  let expected = -1;
  let dataRows = 0;
  let quoted = false;
  const endRecord = () => {
    if (expected < 0) {
      expected = fields;
      const header = text.slice(0, text.search(/\r?\n|$/));
      const other = [';', '\t', '|', ','].find((candidate) => candidate !== delimiter && header.includes(candidate));
      if (fields === 1 && other) {
        throw new InputError(`${file}: the header has one column but contains "${other === '\t' ? '\\t' : other}": is the delimiter "${other === '\t' ? '\\t' : other}" rather than "${delimiter}"? (${field}.delimiter)`, { file, field: `${field}.delimiter` });
      }
    } else if (fields !== expected) {
      throw new InputError(`${file}: line ${recordLine} has ${fields} fields, the header has ${expected}`, { file, line: recordLine });
    } else {
      dataRows++;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === quoteCode) {
        if (text.charCodeAt(i + 1) === quoteCode) i++;
        else quoted = false;
      } else if (c === 10) line++;
      continue;
    }
    if (c === quoteCode) quoted = true;
    else if (c === separator) fields++;
    else if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      endRecord();
      line++;
      recordLine = line;
      fields = 1;
      // Blank lines between records (and the final newline) are not records.
      while (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13) {
        i++;
        if (text.charCodeAt(i) === 10) { line++; recordLine = line; }
      }
    }
  }
  if (quoted) throw new InputError(`${file}: a quoted field opened on or before line ${recordLine} is never closed`, { file, line: recordLine });
  if (!/[\r\n]\s*$/.test(text) || text.length === 0) endRecord();
  if (dataRows === 0) throw new InputError(`${file}: the file has a header but no data rows`, { file });
  return { dataRows, columns: expected };
}
