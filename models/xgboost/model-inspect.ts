import { check, copyFloats, readShape, readStrings, xgb, type Out, type Ptr } from './library';

/** Importance kinds XGBoosterFeatureScore computes. */
export type ImportanceType = 'weight' | 'gain' | 'cover' | 'total_gain' | 'total_cover';

const IMPORTANCE_TYPES: readonly ImportanceType[] = ['weight', 'gain', 'cover', 'total_gain', 'total_cover'];

/**
 * Feature importance of a tree model by feature name (`f0`, `f1`, … when the training
 * matrix had no names). Features never used in a split are absent, as in Python.
 */
export function featureImportance(booster: Ptr, type: ImportanceType): Record<string, number> {
  if (!IMPORTANCE_TYPES.includes(type)) throw new RangeError(`importance type must be one of ${IMPORTANCE_TYPES.join(', ')}, got ${String(type)}`);
  const nFeatures: Out<number> = [0];
  const features: Out<Ptr | null> = [null];
  const dim: Out<number> = [0];
  const shape: Out<Ptr | null> = [null];
  const scores: Out<Ptr | null> = [null];
  const config = JSON.stringify({ importance_type: type, feature_map: '' });
  check('XGBoosterFeatureScore', xgb().XGBoosterFeatureScore(booster, config, nFeatures, features, dim, shape, scores));
  const names = readStrings(features[0], nFeatures[0]);
  const dims = readShape(shape[0], dim[0]);
  const values = copyFloats(scores[0], dims.reduce((a, b) => a * b, 1));
  // gblinear with several outputs gives a matrix; one number per feature is what tree
  // models produce and what callers here need.
  if (values.length !== names.length) throw new Error(`featureImportance: expected one score per feature, got shape [${dims.join(', ')}]`);
  return Object.fromEntries(names.map((name, i) => [name, values[i]!]));
}

export interface DumpOptions {
  /** Include gain and cover per node. Default true. */
  withStats?: boolean;
}

/** One parsed JSON tree per boosted tree, as `XGBoosterDumpModelEx` with format "json" writes them. */
export function dumpTrees(booster: Ptr, options: DumpOptions = {}): unknown[] {
  const len: Out<number> = [0];
  const out: Out<Ptr | null> = [null];
  const withStats = options.withStats === false ? 0 : 1;
  check(
    'XGBoosterDumpModelExWithFeatures',
    xgb().XGBoosterDumpModelExWithFeatures(booster, 0, null, null, withStats, 'json', len, out),
  );
  return readStrings(out[0], len[0]).map((text) => JSON.parse(text) as unknown);
}
