import { InputError } from '../../lib/errors';

export type TextEncoding = 'utf8' | 'latin1';

/**
 * A text file's bytes as a string. UTF-8 must be valid (a byte-order mark is dropped): the error names
 * the byte and line of the first bad byte and the option that declares another encoding; every byte
 * sequence is valid latin1 (ISO-8859-1). Formats that are UTF-8 by definition (JSON lines) pass no
 * `encodingField`.
 */
export function decodeText(bytes: Uint8Array, file: string, encoding: TextEncoding, encodingField?: string): string {
  if (encoding === 'latin1') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const remedy = encodingField ? `re-save the file as UTF-8 or declare its encoding (${encodingField}: latin1)` : 're-save the file as UTF-8';
    throw new InputError(`${file}: not valid UTF-8 at byte ${at.offset} (line ${at.line}); ${remedy}`, {
      file,
      line: at.line,
      field: encodingField,
    });
  }
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
