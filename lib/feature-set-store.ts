import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FeaturePipelineState } from '../models/features/feature-pipeline';
import type { ArtifactKey, ArtifactStore } from './artifact-store';
import { InputError, NotFoundError } from './errors';

/** A fitted feature pipeline with the matrices its fitting produced: what one training, or one CV fold, trains on. */
export interface FeatureSet {
  state: FeaturePipelineState;
  /**
   * The fitting rows' features as the booster takes them (out-of-fold target encodings; SMOTE rows after
   * the real ones), row-major, with their labels.
   */
  train: { data: Float32Array; rows: number; cols: number; labels: Float32Array };
  /** Booster parameters the pipeline asks for (scale_pos_weight). */
  boosterParams: { scale_pos_weight?: number };
  /** For a CV fold: its validation rows (row numbers in the labelled dataset), transformed by the pipeline. */
  valid?: { rowIds: number[]; data: Float32Array; labels: Float32Array };
}

/** What a lookup found: a set whose every file checked out, nothing, or an entry that must not be used. */
export type FeatureSetLookup =
  | { status: 'hit'; set: FeatureSet; stateKey: ArtifactKey }
  | { status: 'miss' }
  | { status: 'damaged'; reason: string };

/** The stored description of a set: every part is an artifact, so each is checked against its sha256 on load. */
interface Manifest {
  format: 'kiln.feature-set';
  version: 1;
  /** The cache key it answers: an index that points elsewhere is caught. */
  key: string;
  state: ArtifactKey;
  train: { data: ArtifactKey; labels: ArtifactKey; rows: number; cols: number };
  boosterParams: FeatureSet['boosterParams'];
  valid?: { rowIds: number[]; data: ArtifactKey; labels: ArtifactKey };
}

const cacheKeyPattern = /^[0-9a-f]{64}$/;

/**
 * Feature sets in the artifact store, found by a cache key (a sha256 of everything that determines the
 * set, computed by the caller). The parts are content-addressed artifacts written atomically; the index
 * file naming them is written last, by rename, so a crash mid-write leaves no entry, never half of one.
 * Every part is checked against its hash when read: a damaged entry is reported, never served, and its
 * damaged files are removed so that saving the refitted set writes them afresh.
 */
export class FeatureSetStore {
  constructor(private readonly artifacts: ArtifactStore) {}

  find(key: string): FeatureSetLookup {
    let manifestKey: string;
    try {
      manifestKey = fs.readFileSync(this.indexPath(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'miss' };
      throw error;
    }
    try {
      const manifest = JSON.parse(this.read(manifestKey).toString('utf8')) as Manifest;
      if (manifest.format !== 'kiln.feature-set' || manifest.version !== 1 || manifest.key !== key) {
        throw new InputError(`manifest ${manifestKey} is not the feature set ${key}`);
      }
      const { train, valid } = manifest;
      const set: FeatureSet = {
        state: JSON.parse(this.read(manifest.state).toString('utf8')) as FeaturePipelineState,
        train: { data: this.floats(train.data, train.rows * train.cols), rows: train.rows, cols: train.cols, labels: this.floats(train.labels, train.rows) },
        boosterParams: manifest.boosterParams,
        ...(valid && {
          valid: { rowIds: valid.rowIds, data: this.floats(valid.data, valid.rowIds.length * train.cols), labels: this.floats(valid.labels, valid.rowIds.length) },
        }),
      };
      return { status: 'hit', set, stateKey: manifest.state };
    } catch (error) {
      if (error instanceof InputError || error instanceof NotFoundError || error instanceof SyntaxError) return { status: 'damaged', reason: error.message };
      throw error;
    }
  }

  /** Stores a set under its key (replacing a damaged entry); returns the artifact key of its pipeline state. */
  save(key: string, set: FeatureSet): ArtifactKey {
    const { train, valid } = set;
    const manifest: Manifest = {
      format: 'kiln.feature-set',
      version: 1,
      key,
      state: this.artifacts.putJson(set.state),
      train: { data: this.artifacts.put(bytesOf(train.data)), labels: this.artifacts.put(bytesOf(train.labels)), rows: train.rows, cols: train.cols },
      boosterParams: set.boosterParams,
      ...(valid && { valid: { rowIds: valid.rowIds, data: this.artifacts.put(bytesOf(valid.data)), labels: this.artifacts.put(bytesOf(valid.labels)) } }),
    };
    const manifestKey = this.artifacts.putJson(manifest);
    const index = this.indexPath(key);
    fs.mkdirSync(path.dirname(index), { recursive: true });
    const temp = `${index}.${process.pid}.${crypto.randomUUID()}.tmp`;
    fs.writeFileSync(temp, manifestKey);
    fs.renameSync(temp, index);
    return manifest.state;
  }

  /** An artifact's bytes, checked; one that no longer hashes to its key is garbage to every reader, so it is removed. */
  private read(key: string): Buffer {
    // A malformed key throws here, before anything could be removed.
    const file = this.artifacts.pathOf(key);
    try {
      return this.artifacts.get(key);
    } catch (error) {
      // put() keeps a file that exists: without this, the refit could never replace the damaged copy.
      if (error instanceof InputError) fs.rmSync(file, { force: true });
      throw error;
    }
  }

  /** A float32 artifact (native byte order; the caller's key covers it) of exactly `count` values. */
  private floats(key: string, count: number): Float32Array {
    const bytes = this.read(key);
    if (bytes.length !== count * 4) throw new InputError(`artifact ${key} holds ${bytes.length} bytes, not the ${count} float32 values its manifest says`);
    // A copy: a Buffer's offset in its pool need not be aligned for a Float32Array.
    const values = new Float32Array(count);
    new Uint8Array(values.buffer).set(bytes);
    return values;
  }

  private indexPath(key: string): string {
    if (!cacheKeyPattern.test(key)) throw new InputError(`not a feature-set key: ${JSON.stringify(key)}`, { key });
    return path.join(this.artifacts.root, 'feature-sets', key.slice(0, 2), key);
  }
}

function bytesOf(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}
