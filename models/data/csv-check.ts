import { InputError } from '../../lib/errors';

/**
 * Checks a CSV file's bytes before the parser sees them, because a lenient parser pads or truncates
 * ragged rows and so loses data silently. Errors name the file, the line and the problem:
 * not UTF-8, empty, no data rows, a header that looks split by another delimiter, a row with the
 * wrong number of fields. Quoted fields (with doubled quotes, delimiters and newlines inside) count as one.
 */
export function checkCsvBytes(bytes: Uint8Array, file: string, delimiter = ','): { dataRows: number; columns: number } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new InputError(`${file}: not valid UTF-8 at byte ${at.offset} (line ${at.line}); re-save the file as UTF-8`, { file, line: at.line });
  }
  if (text.trim() === '') throw new InputError(`${file}: the file is empty`, { file });
  const separator = delimiter.charCodeAt(0);
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
        throw new InputError(`${file}: the header has one column but contains "${other === '\t' ? '\\t' : other}": is the delimiter "${other === '\t' ? '\\t' : other}" rather than "${delimiter}"? (source.delimiter)`, { file, field: 'source.delimiter' });
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
      if (c === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else quoted = false;
      } else if (c === 10) line++;
      continue;
    }
    if (c === 34) quoted = true;
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

function firstInvalidUtf8(bytes: Uint8Array): { offset: number; line: number } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection: decoding a prefix fails iff it contains the bad byte
  // (a prefix cut inside a valid multi-byte character is tolerated with stream: true).
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    try {
      decoder.decode(bytes.subarray(0, middle), { stream: true });
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  let line = 1;
  for (let i = 0; i < low; i++) if (bytes[i] === 10) line++;
  return { offset: low, line };
}
