import { z } from 'zod';
import { InputError } from '../../lib/errors';

// Each check's message reads after the parameter's name: "max_depth: must be an integer ≥ 0, got -3".
// Bounds are XGBoost 1.7's own (TrainParam, GenericParameter, …) unless a comment says otherwise, so a
// config that passes here is one XGBoost accepts, and the error comes before the C boundary.

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const must = (what: string) => (issue: { input?: unknown }) => `must be ${what}, got ${shown(issue.input)}`;

function int(min: number, max = Number.POSITIVE_INFINITY) {
  const error = must(max === Number.POSITIVE_INFINITY ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`);
  return z.number({ error }).refine((v) => Number.isSafeInteger(v) && v >= min && v <= max, { error });
}

/** A finite number in a range; `open` names the ends that are excluded. */
function num(min: number, max = Number.POSITIVE_INFINITY, open: { min?: boolean; max?: boolean } = {}) {
  const what =
    max === Number.POSITIVE_INFINITY
      ? `a number ${open.min ? '>' : '≥'} ${min}`
      : `a number in ${open.min ? '(' : '['}${min}, ${max}${open.max ? ')' : ']'}`;
  const error = must(what);
  return z
    .number({ error })
    .refine((v) => Number.isFinite(v) && (open.min ? v > min : v >= min) && (open.max ? v < max : v <= max), { error });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: must(`one of ${values.join(', ')}`) });
}

/** XGBoost reads booleans as true/false or 1/0. */
const flag = z.union([z.boolean(), z.literal(0), z.literal(1)], { error: must('true, false, 1 or 0') });

const METRICS = [
  'rmse', 'rmsle', 'mae', 'mape', 'mphe', 'logloss', 'error', 'merror', 'mlogloss', 'auc', 'aucpr', 'ndcg', 'map', 'pre',
  'poisson-nloglik', 'gamma-nloglik', 'cox-nloglik', 'gamma-deviance', 'tweedie-nloglik', 'aft-nloglik',
  'interval-regression-accuracy',
] as const;
type MetricName = (typeof METRICS)[number];
/** An XGBoost eval metric: a name, optionally `@` a threshold or cut-off (`error@0.7`, `ndcg@5`) and a trailing `-` (`ndcg@5-`). */
export type EvalMetric = MetricName | `${MetricName}@${number}` | `${MetricName}-` | `${MetricName}@${number}-`;
const METRIC_PATTERN = new RegExp(`^(${METRICS.join('|')})(@[0-9]+(\\.[0-9]+)?)?-?$`);
const isMetric = (v: unknown) => typeof v === 'string' && METRIC_PATTERN.test(v);
const metrics = z.custom<EvalMetric | EvalMetric[]>((v) => isMetric(v) || (Array.isArray(v) && v.length > 0 && v.every(isMetric)), {
  error: must(`an eval metric or a non-empty list of them (${METRICS.join(', ')}; optionally with @n and a trailing -)`),
});

export const OBJECTIVES = [
  'reg:squarederror', 'reg:squaredlogerror', 'reg:logistic', 'reg:pseudohubererror', 'reg:absoluteerror', 'reg:gamma',
  'reg:tweedie', 'binary:logistic', 'binary:logitraw', 'binary:hinge', 'count:poisson', 'survival:cox', 'survival:aft',
  'multi:softmax', 'multi:softprob', 'rank:pairwise', 'rank:ndcg', 'rank:map',
] as const;
export type Objective = (typeof OBJECTIVES)[number];

const UPDATERS = ['grow_colmaker', 'grow_histmaker', 'grow_quantile_histmaker', 'sync', 'refresh', 'prune', 'shotgun', 'coord_descent'];
const updater = z.string({ error: must(`a comma-separated list of ${UPDATERS.join(', ')}`) }).refine(
  (v) => v.split(',').every((name) => UPDATERS.includes(name.trim())),
  { error: must(`a comma-separated list of ${UPDATERS.join(', ')}`) },
);

const direction = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
const monotone = z.union([z.string().regex(/^\(\s*(-?[01]\s*(,\s*-?[01]\s*)*)?\)$/), z.array(direction)], {
  error: must('a list of -1, 0 or 1 per feature, e.g. [1, 0, -1] or "(1,0,-1)"'),
});
const interactions = z.union([z.string().regex(/^\[\s*(\[[0-9,\s]*\]\s*,?\s*)*\]$/), z.array(z.array(int(0)))], {
  error: must('a list of lists of feature indices, e.g. [[0, 1], [2, 3, 4]]'),
});

const shape = {
  // General
  /** Booster kind. Default gbtree. */
  booster: oneOf(['gbtree', 'gblinear', 'dart']),
  /** 0 silent, 1 warning (default), 2 info, 3 debug. */
  verbosity: int(0, 3),
  /** Warn about parameters XGBoost does not use. The binding turns it on, as Python does. */
  validate_parameters: flag,
  /** Threads for training and prediction; 0 (default) = all cores. */
  nthread: int(0),
  /** Evaluate only the metrics listed in eval_metric. */
  disable_default_eval_metric: flag,
  /** Random seed. Default 0. */
  seed: z.number({ error: must('an integer') }).refine(Number.isSafeInteger, { error: must('an integer') }),
  /** Seed the generator from the round number (deterministic across restarts). */
  seed_per_iteration: flag,

  // Tree booster
  /** Shrinkage of each round's weights. Default 0.3. Alias learning_rate. */
  eta: num(0),
  learning_rate: num(0),
  /** Minimum loss reduction to split a leaf. Default 0. Alias min_split_loss. */
  gamma: num(0),
  min_split_loss: num(0),
  /** Maximum tree depth; 0 means no limit (lossguide growth only). Default 6. */
  max_depth: int(0),
  /** Minimum hessian sum in a child. Default 1. */
  min_child_weight: num(0),
  /** Cap on each leaf's output; 0 = none. */
  max_delta_step: num(0),
  /** Share of rows sampled per round, (0, 1]. Default 1. */
  subsample: num(0, 1, { min: true }),
  /** uniform (default); gradient_based needs a GPU build. */
  sampling_method: oneOf(['uniform', 'gradient_based']),
  /** Share of columns sampled per tree, (0, 1]. Default 1. */
  colsample_bytree: num(0, 1, { min: true }),
  /** Share of the tree's columns sampled per depth level, (0, 1]. */
  colsample_bylevel: num(0, 1, { min: true }),
  /** Share of the level's columns sampled per split, (0, 1]. */
  colsample_bynode: num(0, 1, { min: true }),
  /** L2 regularisation of leaf weights. Default 1. Alias reg_lambda. */
  lambda: num(0),
  reg_lambda: num(0),
  /** L1 regularisation of leaf weights. Default 0. Alias reg_alpha. */
  alpha: num(0),
  reg_alpha: num(0),
  /** Split finding: hist (fast, binned), approx, exact (all split points), auto. This build has no GPU. */
  tree_method: oneOf(['hist', 'approx', 'exact', 'auto']),
  /** Bin accuracy of the local histogram maker, (0, 1). */
  sketch_eps: num(0, 1, { min: true, max: true }),
  /** Weight of positive rows, e.g. negatives / positives for imbalanced classes. Default 1. */
  scale_pos_weight: num(0),
  /** Comma-separated updater sequence (advanced; tree_method usually chooses it). */
  updater,
  /** With the refresh updater: also update leaf values. */
  refresh_leaf: flag,
  /** default grows new trees; update refreshes or prunes existing ones. */
  process_type: oneOf(['default', 'update']),
  /** depthwise (default) or lossguide (hist and approx). */
  grow_policy: oneOf(['depthwise', 'lossguide']),
  /** Most leaves per tree with lossguide; 0 = no limit. */
  max_leaves: int(0),
  /** Histogram bins per feature (hist). Default 256. */
  max_bin: int(2),
  /** auto or cpu_predictor (this build has no GPU). */
  predictor: oneOf(['auto', 'cpu_predictor']),
  /** Trees per round (boosted random forest). Default 1. */
  num_parallel_tree: int(1),
  /** Per feature: 1 increasing, -1 decreasing, 0 free. */
  monotone_constraints: monotone,
  /** Groups of feature indices allowed to interact. */
  interaction_constraints: interactions,
  /** Categorical splits: one-hot below this many categories. */
  max_cat_to_onehot: int(1),
  /** Categorical splits: most categories on one side of a partition split. */
  max_cat_threshold: int(1),

  // DART booster
  sample_type: oneOf(['uniform', 'weighted']),
  normalize_type: oneOf(['tree', 'forest']),
  /** Share of previous trees dropped per round, [0, 1]. */
  rate_drop: num(0, 1),
  /** Always drop at least one tree. */
  one_drop: flag,
  /** Probability of skipping dropout in a round, [0, 1]. */
  skip_drop: num(0, 1),

  // Linear booster
  feature_selector: oneOf(['cyclic', 'shuffle', 'random', 'greedy', 'thrifty']),
  /** Features considered by the greedy and thrifty selectors; 0 = all. */
  top_k: int(0),

  // Learning task
  /** Loss to minimise. Default reg:squarederror. */
  objective: oneOf(OBJECTIVES),
  /** Number of classes; required by multi:softmax and multi:softprob. */
  num_class: int(1),
  /** Initial prediction of every row (a probability for logistic objectives). Default 0.5. */
  base_score: num(Number.NEGATIVE_INFINITY),
  /** Metrics evaluated each round; early stopping watches the last. */
  eval_metric: metrics,
  /** reg:tweedie's variance power, [1, 2). */
  tweedie_variance_power: num(1, 2, { max: true }),
  /** reg:pseudohubererror's slope. */
  huber_slope: num(0, Number.POSITIVE_INFINITY, { min: true }),
  /** survival:aft's error distribution. */
  aft_loss_distribution: oneOf(['normal', 'logistic', 'extreme']),
  aft_loss_distribution_scale: num(0, Number.POSITIVE_INFINITY, { min: true }),
};

type ParamName = keyof typeof shape;
const KNOWN = (Object.keys(shape) as ParamName[]).sort();
const ALIASES: Array<[ParamName, ParamName]> = [['eta', 'learning_rate'], ['gamma', 'min_split_loss'], ['lambda', 'reg_lambda'], ['alpha', 'reg_alpha']];

/**
 * XGBoost 1.7's parameters, checked before they reach the C library: every value against XGBoost's own
 * bounds, unknown names refused (a typo would otherwise be ignored with a warning), and the combinations
 * XGBoost would reject only mid-training (multi-class without num_class, a logistic base_score outside
 * (0, 1), a parameter given under two aliases).
 */
export const xgboostParamsSchema = z
  .strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(suggest).join(', ')}; known parameters: ${KNOWN.join(', ')}`
        : undefined,
  })
  .partial()
  .superRefine((params, ctx) => {
    const multi = params.objective === 'multi:softmax' || params.objective === 'multi:softprob';
    if (multi && (params.num_class ?? 0) < 2) {
      ctx.addIssue({ code: 'custom', path: ['num_class'], message: `must be an integer ≥ 2 with objective ${params.objective}, got ${shown(params.num_class)}` });
    }
    if (!multi && params.num_class !== undefined && params.num_class !== 1) {
      ctx.addIssue({ code: 'custom', path: ['num_class'], message: `only applies to multi:softmax and multi:softprob, not objective ${params.objective ?? 'reg:squarederror'}` });
    }
    const logistic = params.objective === 'binary:logistic' || params.objective === 'reg:logistic';
    if (logistic && params.base_score !== undefined && !(params.base_score > 0 && params.base_score < 1)) {
      ctx.addIssue({ code: 'custom', path: ['base_score'], message: `must be a probability in (0, 1) with objective ${params.objective}, got ${params.base_score}` });
    }
    for (const [name, alias] of ALIASES) {
      if (params[name] !== undefined && params[alias] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [alias], message: `is an alias of ${name}; give only one of them` });
      }
    }
  });

/**
 * XGBoost parameters as typed options; each is documented on the schema's field.
 *
 * @example
 * const params: XGBoostParams = { objective: 'binary:logistic', tree_method: 'hist', max_depth: 6, eta: 0.1, eval_metric: ['logloss', 'auc'] };
 */
export type XGBoostParams = z.input<typeof xgboostParamsSchema>;

/**
 * Checks params against the schema; throws InputError whose message names each bad parameter,
 * e.g. `max_depth: must be an integer ≥ 0, got -3`.
 */
export function parseXGBoostParams(value: unknown): XGBoostParams {
  const result = xgboostParamsSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  throw new InputError(`invalid XGBoost parameters: ${problems.join('; ')}`, { problems });
}

/** `"max_dept" (did you mean max_depth?)` when a known name is one or two edits away. */
function suggest(unknown: string): string {
  const close = KNOWN.map((name) => [name, editDistance(unknown, name)] as const)
    .filter(([, d]) => d <= 2)
    .sort((a, b) => a[1] - b[1])[0];
  return close === undefined ? JSON.stringify(unknown) : `${JSON.stringify(unknown)} (did you mean ${close[0]}?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
