import crypto from 'node:crypto';
import type { ArtifactChecksum, ModelVersion } from '../db';
import type { FeaturePipelineState } from '../models/features/feature-pipeline';
import { ScoringModel, type ScoringModelOptions } from '../models/scoring-model';
import type { ArtifactStore } from './artifact-store';

/** sha256 and size of an artifact's bytes, as the registry records them with a model version. */
export function checksumOf(bytes: Uint8Array): ArtifactChecksum {
  return { sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/**
 * Reads an artifact and checks it against the checksum recorded with a version (when one was: versions
 * registered before checksums were kept have only their key's own check). A missing file is the store's
 * NotFoundError, a file that does not hash to its key the store's InputError; a file that differs from
 * the record is an Error naming both, so a swapped or truncated artifact is never loaded.
 *
 * @example const bytes = readVerified(artifacts, version.modelKey, version.modelChecksum);
 */
export function readVerified(artifacts: ArtifactStore, key: string, expected: ArtifactChecksum | null): Buffer {
  const bytes = artifacts.get(key);
  if (expected) {
    const actual = checksumOf(bytes);
    if (actual.sha256 !== expected.sha256 || actual.size !== expected.size) {
      throw new Error(
        `artifact ${key} does not match its registry record: sha256 ${actual.sha256} (${actual.size} bytes), recorded ${expected.sha256} (${expected.size} bytes)`,
      );
    }
  }
  return bytes;
}

/** A version's booster and pipeline, each file checked against the version's registry record first; `options.logger` gets the model's warnings. */
export function loadScoringModel(artifacts: ArtifactStore, version: ModelVersion, options: Pick<ScoringModelOptions, 'logger'> = {}): ScoringModel {
  try {
    const pipeline = JSON.parse(readVerified(artifacts, version.pipelineKey, version.pipelineChecksum).toString('utf8')) as FeaturePipelineState;
    return ScoringModel.fromBytes(readVerified(artifacts, version.modelKey, version.modelChecksum), pipeline, options);
  } catch (error) {
    // Not the client's fault (the store's InputError and NotFoundError would read as 422 and 404): a plain Error, answered 500 and logged.
    throw new Error(`version ${version.version} of model "${version.modelName}" cannot be loaded: ${(error as Error).message}`, { cause: error });
  }
}
