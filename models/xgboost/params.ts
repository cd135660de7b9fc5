import type { XGBoostParams } from './params-schema';

/**
 * Flattens params into the `(name, value)` string pairs handed to `XGBoosterSetParam`, as xgboost's
 * Python package does: `eval_metric` lists are set once per value, in order (so
 * `{ eval_metric: ['logloss', 'auc'] }` evaluates both and early-stops on `auc`); constraint lists are
 * written in XGBoost's text forms; booleans become "1"/"0"; numbers use JS's shortest round-trip form.
 * `undefined` values are skipped.
 *
 * @example
 * paramPairs({ max_depth: 3, eval_metric: ['auc', 'logloss'], monotone_constraints: [1, 0] })
 * // [['max_depth', '3'], ['eval_metric', 'auc'], ['eval_metric', 'logloss'], ['monotone_constraints', '(1,0)']]
 */
export function paramPairs(params: XGBoostParams): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    if (name === 'eval_metric' && Array.isArray(value)) {
      for (const metric of value) pairs.push([name, String(metric)]);
    } else if (name === 'monotone_constraints' && Array.isArray(value)) {
      pairs.push([name, `(${value.join(',')})`]);
    } else if (Array.isArray(value)) {
      pairs.push([name, JSON.stringify(value)]);
    } else {
      pairs.push([name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)]);
    }
  }
  return pairs;
}

/** Metric prefixes XGBoost's Python early stopping treats as "higher is better". */
const MAXIMISED = ['auc', 'aucpr', 'map', 'ndcg', 'auc@', 'aucpr@', 'map@', 'ndcg@'];

/**
 * Whether a larger value of this eval metric is better, using xgboost's Python rule
 * (auc, aucpr, map, ndcg and their `@k` forms maximise; everything else, including
 * `mape`, minimises).
 */
export function metricMaximises(metric: string): boolean {
  return metric !== 'mape' && MAXIMISED.some((prefix) => metric.startsWith(prefix));
}
