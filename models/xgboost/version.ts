import { xgb, type Out } from './library';

export interface XGBoostVersion {
  major: number;
  minor: number;
  patch: number;
}

/** The version of the loaded libxgboost, e.g. `{ major: 1, minor: 7, patch: 4 }`. */
export function xgboostVersion(): XGBoostVersion {
  const major: Out<number> = [0];
  const minor: Out<number> = [0];
  const patch: Out<number> = [0];
  xgb().XGBoostVersion(major, minor, patch);
  return { major: major[0], minor: minor[0], patch: patch[0] };
}
