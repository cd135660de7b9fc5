import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError, NotFoundError } from './errors';

/** An artifact's key is the SHA-256 of its bytes, so the same content is stored once and verified on load. */
export type ArtifactKey = `sha256:${string}`;

const keyPattern = /^sha256:[0-9a-f]{64}$/;

/**
 * Content-addressed files under one root folder (`KILN_ARTIFACTS`). Writes are atomic (temp file, then
 * rename), reads verify the checksum, and keys are validated so no path can escape the root.
 */
export class ArtifactStore {
  constructor(readonly root: string) {}

  put(bytes: Uint8Array): ArtifactKey {
    const hex = crypto.createHash('sha256').update(bytes).digest('hex');
    const key: ArtifactKey = `sha256:${hex}`;
    const file = this.pathOf(key);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
      fs.writeFileSync(temp, bytes);
      fs.renameSync(temp, file);
    }
    return key;
  }

  putJson(value: unknown): ArtifactKey {
    return this.put(Buffer.from(JSON.stringify(value)));
  }

  get(key: string): Buffer {
    const file = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      throw new NotFoundError(`artifact ${key} is missing from ${this.root}`, { key });
    }
    const actual = crypto.createHash('sha256').update(bytes).digest('hex');
    if (`sha256:${actual}` !== key) {
      throw new InputError(`artifact ${key} is corrupted: its content hashes to sha256:${actual}`, { key });
    }
    return bytes;
  }

  getJson<T>(key: string): T {
    return JSON.parse(this.get(key).toString('utf8')) as T;
  }

  /** The file behind a key; the key is checked first, so the path always lies inside the root. */
  pathOf(key: string): string {
    if (!keyPattern.test(key)) throw new InputError(`not an artifact key: ${JSON.stringify(key)}`, { key });
    const hex = key.slice('sha256:'.length);
    return path.join(this.root, 'sha256', hex.slice(0, 2), hex);
  }
}
