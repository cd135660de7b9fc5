import type { RawRecord } from '../features/raw-values';
import type { SchemaColumn } from '../validation/columns';
import { profileDataset, type NumberColumnProfile } from '../validation/profile';
import type { DriftBaseline } from './drift';

/**
 * The drift baseline of a model version: the profile of its raw input columns on the training data
 * (typed as the dataset's reader typed them) and the profile of the model's scores on the same rows.
 *
 * @example driftBaseline(records, [{ name: 'tenure', type: 'number' }], model.predict(records))
 */
export function driftBaseline(records: readonly RawRecord[], columns: readonly SchemaColumn[], scores: ArrayLike<number>): DriftBaseline {
  const scoreRecords = Array.from(scores, (score) => ({ score }));
  const [score] = profileDataset(scoreRecords, [{ name: 'score', type: 'number' }]).columns as [NumberColumnProfile];
  return { columns: profileDataset(records, columns).columns, score };
}
