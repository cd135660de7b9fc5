import crypto from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): the millisecond clock in the first 48 bits, random bits after. Ids that grow with
 * time land at the end of the prediction log's unique (request_id, item) index; random v4 ids land on
 * random pages of it, which made each logged row cost SQLite about three times as much.
 *
 * @example timeOrderedId() // '019ab1c2-3d4e-7f10-9a2b-3c4d5e6f7a8b'
 */
export function timeOrderedId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  // randomUUID's 'xxxxxxxx-xxxx-4xxx-yxxx-…' keeps its random bits and variant after the version digit.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${crypto.randomUUID().slice(15)}`;
}
