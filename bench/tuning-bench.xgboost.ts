// The XGBoost objective of the tuning bench: what a Kiln trial computes (stratified 3-fold CV ROC-AUC on
// the Telco rows, feature pipeline fitted per fold, early stopping), with the folds' matrices built once
// so that thousands of trials fit in a bench run.
import path from 'node:path';
import { loadPipelineConfig } from '../lib/pipeline-config';
import { projectRoot } from '../lib/settings';
import { stratifiedKFold } from '../models/cross-validation';
import { readCsvTable, toRecords } from '../models/data/tabular';
import { FeaturePipeline, fitFeaturePipeline, type InputColumn } from '../models/features/feature-pipeline';
import type { Params } from '../models/tuning';
import { DMatrix, train, type XGBoostParams } from '../models/xgboost';

/** The five parameters searched, in the config's form. */
export const xgboostSpace = {
  colsample_bytree: { type: 'float', low: 0.3, high: 1 },
  eta: { type: 'float', low: 0.15, high: 0.6, log: true },
  max_depth: { type: 'int', low: 2, high: 6 },
  min_child_weight: { type: 'float', low: 0.5, high: 50, log: true },
  subsample: { type: 'float', low: 0.5, high: 1 },
};

export interface TrialOutcome {
  /** Mean validation ROC-AUC of the folds; for a pruned trial, its last reported value. */
  value: number;
  pruned: boolean;
  /** Boosting rounds trained over all folds: the cost pruning saves. */
  rounds: number;
  /** [step, value] of the first fold, every `every` rounds, as a trial reports them. */
  intermediate: Array<[number, number]>;
}

export interface Judge {
  every: number;
  /** Called with each report of the first fold; true stops the trial (pruned). */
  report(step: number, value: number): boolean;
}

// Small enough (eta ≥ 0.1, depth ≤ 6, 32 bins) that 20 seeds × 50 trials × four studies run in about an
// hour on two shared cores: Debian's libxgboost takes some 5–20 ms per round here.
const MAX_ROUNDS = 40;
const EARLY_STOPPING = 5;

/** Loads Telco, splits it into 3 stratified folds and builds each fold's matrices. */
export function telcoObjective(): { evaluate(params: Params, judge?: Judge): TrialOutcome } {
  const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/telco-churn.yaml'));
  const { frame, schema } = readCsvTable(path.join(projectRoot, 'data/telco-customer-churn.csv'));
  const records = toRecords(frame);
  const labels = Float32Array.from(records, (r) => (String(r[config.target.column]) === config.target.positive ? 1 : 0));
  const inputs: InputColumn[] = schema
    .filter(({ name }) => name !== config.target.column && !config.features.exclude.includes(name))
    .map(({ name, type }) => ({ name, kind: type === 'number' ? 'numeric' : 'categorical' }));
  const target = { column: config.target.column, positive: config.target.positive, negative: '' };
  const folds = stratifiedKFold(records.map((_, i) => i), labels, 3, 42).map((fold) => {
    const pipeline = new FeaturePipeline(fitFeaturePipeline(fold.train.map((row) => records[row]!), inputs, target));
    const matrix = (rows: number[]) =>
      DMatrix.fromDense(pipeline.transform(rows.map((row) => records[row]!)), rows.length, pipeline.featureCount, { labels: Float32Array.from(rows, (row) => labels[row]!) });
    return { dtrain: matrix(fold.train), dvalid: matrix(fold.valid) };
  });

  return {
    evaluate(params, judge) {
      const full: XGBoostParams = { objective: 'binary:logistic', tree_method: 'hist', max_bin: 32, eval_metric: 'auc', nthread: 1, seed: 1, ...(params as XGBoostParams) };
      const intermediate: Array<[number, number]> = [];
      const values: number[] = [];
      let rounds = 0;
      for (const [index, { dtrain, dvalid }] of folds.entries()) {
        let pruned = false;
        const result = train({
          params: full, dtrain, evals: [['valid', dvalid]], rounds: MAX_ROUNDS, earlyStoppingRounds: EARLY_STOPPING,
          onRound: (round, scores) => {
            if (index !== 0 || !judge || (round + 1) % judge.every !== 0) return false;
            intermediate.push([round + 1, scores.valid!.auc!]);
            return (pruned = judge.report(round + 1, scores.valid!.auc!));
          },
        });
        rounds += result.history.length;
        result.booster.dispose();
        if (pruned) return { value: intermediate.at(-1)![1], pruned, rounds, intermediate };
        values.push(result.bestScore!);
      }
      return { value: values.reduce((a, b) => a + b, 0) / values.length, pruned: false, rounds, intermediate };
    },
  };
}
