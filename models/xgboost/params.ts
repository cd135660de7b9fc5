/**
 * XGBoost parameters as the C API takes them. Arrays (typically `eval_metric`) are set
 * once per value, in order, exactly as xgboost's Python package does, so
 * `{ eval_metric: ['logloss', 'auc'] }` evaluates both and early-stops on `auc`.
 */
export type BoosterParams = Record<string, string | number | boolean | Array<string>>;

/**
 * Flattens params into the `(name, value)` string pairs handed to `XGBoosterSetParam`.
 * Booleans become "1"/"0" (what XGBoost's parameter parser accepts everywhere);
 * numbers use JS's shortest round-trip form. `undefined` values are skipped.
 *
 * @example
 * paramPairs({ max_depth: 3, eval_metric: ['auc', 'logloss'] })
 * // [['max_depth', '3'], ['eval_metric', 'auc'], ['eval_metric', 'logloss']]
 */
export function paramPairs(params: BoosterParams): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) pairs.push([name, formatValue(name, v)]);
  }
  return pairs;
}

function formatValue(name: string, value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`parameter ${name} must be a finite number, got ${value}`);
    return String(value);
  }
  return value;
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
