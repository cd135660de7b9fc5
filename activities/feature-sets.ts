import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { log } from '@temporalio/activity';
import { canonicalJson } from '../lib/canonical-json';
import { InputError } from '../lib/errors';
import { FeatureSetStore, type FeatureSet } from '../lib/feature-set-store';
import type { ArtifactKey } from '../lib/artifact-store';
import { stratifiedKFold } from '../models/cross-validation';
import { fitTrainingFeatures, type FitOptions, type TargetLabels } from '../models/features/feature-pipeline';
import type { RawRecord } from '../models/features/raw-values';
import type { TrainTestSplit } from '../models/split';
import type { ActivityDependencies } from './dependencies';
import { featureInputs, loadLabelledData, type LabelledData, type TargetSpec } from './labelled-data';

/** What determines a run's feature sets, as the training and trial activities receive it. */
export interface FeatureSetSource {
  datasetId: string;
  /** Artifact of the holdout split: its key is the hash of the row numbers, so it stands for split config, seed and data. */
  splitKey: string;
  target: TargetSpec;
  /** Columns that are not features (identifiers); the target never is one. */
  exclude: string[];
  maxCategories: number;
  /** The config's `features` section; absent in runs started before steps existed (plain one-hot, no rebalancing). */
  features?: FitOptions;
}

/** Fold `index` of a stratified k-fold over the split's training rows. */
export interface FoldSpec {
  folds: number;
  seed: number;
  index: number;
}

/** How an activity came by its feature sets: reported in its result, so the run's history shows it. */
export interface FeaturesReport {
  /** True when every set came from the store (at least one, and nothing was fitted). */
  reused: boolean;
  reusedSets: number;
  fittedSets: number;
  /** Wall time spent on features: reading stored sets, or loading the data, fitting and storing. */
  ms: number;
  /** Stored sets found damaged (a file not matching its hash, a missing file): refitted, never used. */
  discarded?: string[];
}

export interface ObtainedFeatureSet<S extends FeatureSet = FeatureSet> {
  set: S;
  /** The fitted pipeline state's artifact: what a model version stores beside its booster. */
  stateKey: ArtifactKey;
}

export type FoldFeatureSet = FeatureSet & { valid: NonNullable<FeatureSet['valid']> };

/**
 * Fits under way in this process, by artifact root and key: trials running side by side (a study's first
 * ones) wait for one fit of their fold instead of each fitting it.
 */
const fitsInFlight = new Map<string, Promise<ObtainedFeatureSet>>();

/** Bump when the stored layout or the meaning of the key changes. */
const FEATURE_SETS_VERSION = 1;

/**
 * The source of everything that turns a dataset version into feature sets — the feature pipeline, the
 * folds, the seeded random numbers, how snapshots become records and labels, and this module. Part of
 * every key, so code that fits differently refits instead of reusing what older code fitted (which
 * serving would then transform with newer code). Read once, at load: the code this process runs.
 */
const featureCodeDigest = (() => {
  const featuresFolder = path.dirname(require.resolve('../models/features/feature-pipeline'));
  const files = [
    ...fs.readdirSync(featuresFolder).sort().map((name) => path.join(featuresFolder, name)),
    ...['../models/cross-validation', '../models/random', '../models/data/tabular', './labelled-data', '../lib/feature-set-store'].map((id) => require.resolve(id)),
    __filename,
  ];
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(path.basename(file)).update(fs.readFileSync(file));
  return hash.digest('hex');
})();

/** What fitting the features takes from an activity input. */
export function featureOptions({ maxCategories, features }: Pick<FeatureSetSource, 'maxCategories' | 'features'>): FitOptions {
  return { maxCategories, ...(features ?? { imbalance: 'none' }) };
}

/** The target's negative label: its one other value, or "not <positive>" when there are several. */
function targetLabels(records: RawRecord[], { column, positive }: TargetSpec): TargetLabels {
  const others = new Set(records.map((record) => String(record[column])).filter((value) => value !== positive));
  return { column, positive, negative: others.size === 1 ? [...others][0]! : `not ${positive}` };
}

/**
 * The feature sets of one activity (the split's training rows, CV folds of them), each fitted once per
 * dataset content, split, target, excluded columns, feature config, fold and feature code, and reused
 * from the artifact store after that: a run on unchanged data refits nothing, and the trials of a study
 * share their folds' sets. The dataset is loaded only when a set must be fitted. Sets are deterministic
 * (seeded), so a reused set is exactly the one fitting would produce.
 *
 * @example
 * const features = createFeatureSets(deps, input);
 * const { set, stateKey } = await features.train();
 * const fold = await features.fold({ folds: 3, seed: 42, index: 0 });
 * return { ..., features: features.report() };
 */
export function createFeatureSets(deps: ActivityDependencies, source: FeatureSetSource) {
  const store = new FeatureSetStore(deps.artifacts);
  const report = { reusedSets: 0, fittedSets: 0, ms: 0, discarded: [] as string[] };
  let contentHash: Promise<string> | undefined;
  let data: Promise<LabelledData> | undefined;

  const keyOf = async (rows: 'train' | FoldSpec): Promise<string> => {
    contentHash ??= deps.registry.getDataset(source.datasetId).then((dataset) => dataset.contentHash);
    const { exclude: _listedApart, ...options } = featureOptions(source) as FitOptions & { exclude?: unknown };
    const { column, positive, keep } = source.target;
    return crypto.createHash('sha256').update(canonicalJson({
      version: FEATURE_SETS_VERSION,
      code: featureCodeDigest,
      byteOrder: os.endianness(),
      contentHash: await contentHash,
      splitKey: source.splitKey,
      target: { column, positive, keep: keep && [...keep].sort() },
      exclude: [...new Set(source.exclude)].sort(),
      options,
      rows,
    })).digest('hex');
  };

  const fit = async (rows: 'train' | FoldSpec): Promise<FeatureSet> => {
    const { records, labels, columns } = await (data ??= loadLabelledData(deps, source.datasetId, source.target));
    for (const name of source.exclude) {
      if (!columns.some((column) => column.name === name)) throw new InputError(`features.exclude: "${name}" is not a column of the dataset`, { field: 'features.exclude' });
    }
    const { train } = deps.artifacts.getJson<TrainTestSplit>(source.splitKey);
    const fold = rows === 'train' ? { train, valid: undefined } : stratifiedKFold(train, labels, rows.folds, rows.seed)[rows.index]!;
    const fitted = fitTrainingFeatures(fold.train.map((row) => records[row]!), featureInputs(columns, source.target, source.exclude), targetLabels(records, source.target), featureOptions(source));
    const { data: matrix, rows: count, cols, labels: fitLabels } = fitted.matrix;
    return {
      state: fitted.state,
      train: { data: matrix, rows: count, cols, labels: fitLabels },
      boosterParams: fitted.boosterParams,
      ...(fold.valid && {
        valid: { rowIds: fold.valid, data: fitted.pipeline.transform(fold.valid.map((row) => records[row]!)), labels: Float32Array.from(fold.valid, (row) => labels[row]!) },
      }),
    };
  };

  const obtain = async (rows: 'train' | FoldSpec): Promise<ObtainedFeatureSet> => {
    const started = performance.now();
    try {
      const key = await keyOf(rows);
      const slot = `${deps.artifacts.root}\0${key}`;
      // From here to registering a fit, nothing awaits: two activities cannot both start fitting one set.
      const fitting = fitsInFlight.get(slot);
      if (fitting) {
        report.reusedSets++;
        return await fitting;
      }
      const found = store.find(key);
      if (found.status === 'hit') {
        report.reusedSets++;
        return { set: found.set, stateKey: found.stateKey };
      }
      if (found.status === 'damaged') {
        log.warn('stored feature set is damaged: refitting it', { key, reason: found.reason });
        report.discarded.push(found.reason);
      }
      const fitted = fit(rows).then((set) => ({ set, stateKey: store.save(key, set) }));
      fitsInFlight.set(slot, fitted);
      try {
        const obtained = await fitted;
        report.fittedSets++;
        return obtained;
      } finally {
        fitsInFlight.delete(slot);
      }
    } finally {
      report.ms += performance.now() - started;
    }
  };

  return {
    /** The set fitted on the split's training rows: the final model's features. */
    train: () => obtain('train'),

    /** The set fitted on one fold's training rows, with its validation rows transformed. */
    async fold(spec: FoldSpec): Promise<ObtainedFeatureSet<FoldFeatureSet>> {
      const { set, stateKey } = await obtain(spec);
      if (!set.valid) throw new Error(`feature set of fold ${spec.index} of ${spec.folds} has no validation rows`);
      return { set: { ...set, valid: set.valid }, stateKey };
    },

    report(): FeaturesReport {
      const { discarded, ...counts } = report;
      return { reused: counts.reusedSets > 0 && counts.fittedSets === 0, ...counts, ms: Math.round(counts.ms), ...(discarded.length > 0 && { discarded: [...discarded] }) };
    },
  };
}
