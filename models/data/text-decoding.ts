import { isUtf8 } from 'node:buffer';
import { InputError } from '../../lib/errors';

export type TextEncoding = 'utf8' | 'latin1';

/**
 * Checks that bytes are valid UTF-8; the error names the byte and line of the first bad byte and, when
 * the format allows another encoding, the option that declares it (`encodingField`). Formats that are
 * UTF-8 by definition (JSON lines) pass none.
 */
export function checkUtf8(bytes: Uint8Array, file: string, encodingField?: string): void {
  if (isUtf8(bytes)) return;
  const at = firstInvalidUtf8(bytes);
  const remedy = encodingField ? `re-save the file as UTF-8 or declare its encoding (${encodingField}: latin1)` : 're-save the file as UTF-8';
  throw new InputError(`${file}: not valid UTF-8 at byte ${at.offset} (line ${at.line}); ${remedy}`, { file, line: at.line, field: encodingField });
}

/** A text file's bytes as a string: UTF-8 checked by `checkUtf8` (a byte-order mark dropped), or latin1 (ISO-8859-1), where every byte is valid. */
export function decodeText(bytes: Uint8Array, file: string, encoding: TextEncoding, encodingField?: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'latin1') return buffer.toString('latin1');
  checkUtf8(bytes, file, encodingField);
  return new TextDecoder('utf-8').decode(bytes);
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
