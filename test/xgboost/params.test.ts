import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { loadPipelineConfig, parsePipelineConfig } from '../../lib/pipeline-config';
import { createNopPruner, createRandomSampler, createStudy, parseSearchSpace } from '../../models/tuning';
import { DMatrix, parseXGBoostParams, train, type XGBoostParams } from '../../models/xgboost';
import { paramPairs } from '../../models/xgboost/params';
import { binaryData } from './synthetic';

/** The message parseXGBoostParams throws for `params`. */
function problem(params: unknown): string {
  try {
    parseXGBoostParams(params);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(params)}`);
}

describe('XGBoost params: typed and checked before the C boundary', () => {
  it('names the parameter, the rule and the value received', () => {
    assert.match(problem({ max_depth: -3 }), /max_depth: must be an integer ≥ 0, got -3/);
    assert.match(problem({ max_depth: 2.5 }), /max_depth: must be an integer ≥ 0, got 2.5/);
    assert.match(problem({ max_depth: '6' }), /max_depth: must be an integer ≥ 0, got "6"/);
    assert.match(problem({ subsample: 0 }), /subsample: must be a number in \(0, 1\], got 0/);
    assert.match(problem({ colsample_bynode: 1.5 }), /colsample_bynode: must be a number in \(0, 1\], got 1.5/);
    assert.match(problem({ eta: Number.NaN }), /eta: must be a number ≥ 0, got NaN/);
    assert.match(problem({ max_bin: 1 }), /max_bin: must be an integer ≥ 2, got 1/);
    assert.match(problem({ verbosity: 4 }), /verbosity: must be an integer from 0 to 3, got 4/);
    assert.match(problem({ tree_method: 'gpu_hist' }), /tree_method: must be one of hist, approx, exact, auto, got "gpu_hist"/);
    assert.match(problem({ objective: 'binary:logistc' }), /objective: must be one of reg:squarederror, .*binary:logistic.*, got "binary:logistc"/);
    assert.match(problem({ validate_parameters: 'yes' }), /validate_parameters: must be true, false, 1 or 0, got "yes"/);
    assert.match(problem({ eval_metric: ['auc', 'aucc'] }), /eval_metric: must be an eval metric or a non-empty list of them .*got \["auc","aucc"\]/);
    assert.match(problem({ eval_metric: [] }), /eval_metric: must be an eval metric/);
    assert.match(problem({ monotone_constraints: [2] }), /monotone_constraints: must be a list of -1, 0 or 1 per feature/);
    assert.match(problem({ tweedie_variance_power: 2 }), /tweedie_variance_power: must be a number in \[1, 2\), got 2/);
  });

  it('reports every bad parameter at once', () => {
    const message = problem({ max_depth: -1, eta: -0.1, subsample: 2 });
    for (const name of ['max_depth', 'eta', 'subsample']) assert.match(message, new RegExp(`${name}: must be`));
  });

  it('refuses unknown names, suggesting the closest and listing the known ones', () => {
    const message = problem({ max_dept: 3, colsample_by_tree: 0.5, zzz: 1 });
    assert.match(message, /unknown parameters "max_dept" \(did you mean max_depth\?\), "colsample_by_tree" \(did you mean colsample_bytree\?\), "zzz"; known parameters: /);
    assert.match(message, /known parameters: aft_loss_distribution, .*max_depth, .*tree_method/);
  });

  it('checks combinations XGBoost would only refuse mid-training', () => {
    assert.match(problem({ objective: 'multi:softprob' }), /num_class: must be an integer ≥ 2 with objective multi:softprob, got undefined/);
    assert.match(problem({ objective: 'binary:logistic', num_class: 3 }), /num_class: only applies to multi:softmax and multi:softprob/);
    assert.match(problem({ objective: 'binary:logistic', base_score: 1.5 }), /base_score: must be a probability in \(0, 1\) with objective binary:logistic, got 1.5/);
    assert.match(problem({ eta: 0.1, learning_rate: 0.2 }), /learning_rate: is an alias of eta; give only one of them/);
    assert.deepEqual(parseXGBoostParams({ objective: 'reg:squarederror', base_score: 150 }), { objective: 'reg:squarederror', base_score: 150 });
  });

  it('accepts what XGBoost accepts: each booster trains with its parameters set', () => {
    const { data, labels, rows, cols } = binaryData(300, 4, 5);
    using dtrain = DMatrix.fromDense(data, rows, cols, { labels });
    const common: XGBoostParams = { objective: 'binary:logistic', nthread: 1, seed: 3, verbosity: 1, validate_parameters: true, eval_metric: ['logloss', 'error@0.7', 'auc'], base_score: 0.4, disable_default_eval_metric: false, seed_per_iteration: true };
    const tree: XGBoostParams = {
      ...common, booster: 'gbtree', tree_method: 'hist', eta: 0.2, gamma: 0.1, max_depth: 4, min_child_weight: 2, max_delta_step: 1, subsample: 0.9,
      sampling_method: 'uniform', colsample_bytree: 0.9, colsample_bylevel: 0.9, colsample_bynode: 0.9, lambda: 2, alpha: 0.1, scale_pos_weight: 1.5,
      grow_policy: 'lossguide', max_leaves: 16, max_bin: 64, predictor: 'cpu_predictor', num_parallel_tree: 2,
      monotone_constraints: [1, 0, -1, 0], interaction_constraints: [[0, 1], [2, 3]], max_cat_to_onehot: 4, max_cat_threshold: 32,
    };
    const dart: XGBoostParams = { ...common, booster: 'dart', tree_method: 'exact', sample_type: 'weighted', normalize_type: 'forest', rate_drop: 0.1, one_drop: 1, skip_drop: 0.5 };
    const linear: XGBoostParams = { ...common, booster: 'gblinear', updater: 'coord_descent', feature_selector: 'greedy', top_k: 2, reg_lambda: 0.1, reg_alpha: 0.01 };
    for (const params of [tree, dart, linear]) {
      const { booster, history } = train({ params, dtrain, rounds: 3, evals: [['train', dtrain]] });
      using _ = booster;
      assert.deepEqual(Object.keys(history[2]!.train!), ['logloss', 'error@0.7', 'auc'], params.booster);
    }
  });

  it('writes lists in XGBoost\'s text forms', () => {
    assert.deepEqual(paramPairs({ max_depth: 3, eval_metric: ['auc', 'logloss'], monotone_constraints: [1, 0, -1], interaction_constraints: [[0, 1], [2]], one_drop: true }), [
      ['max_depth', '3'], ['eval_metric', 'auc'], ['eval_metric', 'logloss'], ['monotone_constraints', '(1,0,-1)'], ['interaction_constraints', '[[0,1],[2]]'], ['one_drop', '1'],
    ]);
  });

  describe('in pipeline configs', () => {
    const base = { name: 'm', source: { type: 'csv', path: 'x.csv' }, target: { column: 'y', positive: 1 } };

    it('reports a bad param with its path under training.params', () => {
      assert.throws(() => parsePipelineConfig({ ...base, training: { rounds: 10, params: { max_depth: -3 } } }), /training\.params\.max_depth: must be an integer ≥ 0, got -3/);
      assert.throws(() => parsePipelineConfig({ ...base, training: { rounds: 10, params: { max_dept: 3 } } }), /training\.params: unknown parameter "max_dept" \(did you mean max_depth\?\)/);
    });

    const dir = join(__dirname, '../../data/pipelines');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      it(`${file}: params pass, and so does every tuned trial merged into them`, () => {
        const config = loadPipelineConfig(join(dir, file));
        assert.deepEqual(parseXGBoostParams(config.training.params), config.training.params);
        if (!config.tuning) return;
        const space = parseSearchSpace(config.tuning.space, 'tuning.space');
        const study = createStudy({ name: file, space, direction: 'maximize', sampler: createRandomSampler({ seed: 1 }), pruner: createNopPruner() });
        for (let i = 0; i < 200; i++) {
          const trial = study.ask();
          // as workflows/tuning-study.ts merges them, and activities/tuning.ts sets the study's metric
          parseXGBoostParams({ ...config.training.params, ...trial.params, eval_metric: 'auc' });
          study.tell(trial.number, { value: i / 200 });
        }
      });
    }
  });
});
