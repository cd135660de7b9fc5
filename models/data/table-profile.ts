import pl from 'nodejs-polars';
import { profileDataset, type DatasetProfile } from '../validation';
import type { Table } from './column-types';
import { toRecords } from './tabular';

/** The most rows a stored profile is computed on. */
export const PROFILE_MAX_ROWS = 100_000;

export interface TableProfile extends DatasetProfile {
  /** Present when the profile is of an evenly spaced sample: the table's row count. */
  sampledFrom?: number;
}

/**
 * A table's profile (validation's `profileDataset`: per column the type, missing share, quantiles and
 * histogram bins or category frequencies), kept with a dataset version as monitoring's baseline.
 * Tables above `maxRows` are profiled on every k-th row, enough for quantiles and ten-bin drift
 * statistics, so that ingesting a million rows does not spend most of its time here.
 */
export function profileTable({ frame, schema }: Table, maxRows = PROFILE_MAX_ROWS): TableProfile {
  if (frame.height <= maxRows) return profileDataset(toRecords(frame), schema);
  const stride = Math.ceil(frame.height / maxRows);
  const sample = frame.select(pl.all().gatherEvery(stride));
  return { ...profileDataset(toRecords(sample), schema), sampledFrom: frame.height };
}
