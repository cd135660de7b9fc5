import { z } from 'zod';

/**
 * The `features` section of a pipeline config: which columns are left out, the declarative column
 * steps, feature selection and class imbalance. Every part is fitted on training rows only.
 *
 * @example
 * features:
 *   exclude: [ID]
 *   steps:
 *     - { type: log1p, column: usd_goal_real }
 *     - { type: days_between, start: launched, end: deadline, as: duration_days }
 *     - { type: date_parts, column: launched, parts: [month, weekday, year] }
 *     - { type: target_encode, column: category }
 *   select: { correlation: 0.95 }
 *   imbalance: scale_pos_weight
 */
const name = z.string().min(1);

/** A step on one column (`column: x`) or the same step on each of several (`columns: [x, y]`). */
function eachColumn<K extends string, S extends z.ZodRawShape>(type: K, shape: S) {
  return z
    .object({ type: z.literal(type), column: name.optional(), columns: z.array(name).min(1).optional(), ...shape })
    .strict()
    .refine(
      (step) => ((step as { column?: string }).column === undefined) !== ((step as { columns?: string[] }).columns === undefined),
      { message: 'give either column or columns', path: ['column'] },
    );
}

export const datePartNames = ['year', 'month', 'day', 'weekday', 'hour', 'epoch_days'] as const;
export const textStatNames = ['length', 'words'] as const;

export const featureStepSchema = z.discriminatedUnion('type', [
  /**
   * Fills missing values with a value learned from the training rows (median: numeric only; mode) or
   * given (constant). `indicator` adds a `<column>_missing` 0/1 column, so the model still knows.
   * Default strategy: median for numeric columns, mode for categorical ones.
   */
  eachColumn('impute', {
    strategy: z.enum(['median', 'mode', 'constant']).optional(),
    value: z.union([z.number(), z.string()]).optional(),
    indicator: z.boolean().default(true),
  }).refine((step) => (step.strategy === 'constant') === (step.value !== undefined), { message: 'value goes with strategy: constant, and only with it', path: ['value'] }),
  /** log(1 + x); values at or below -1 become missing. */
  eachColumn('log1p', {}),
  /** Clips to the training rows' quantiles (linear interpolation, as numpy's default). */
  eachColumn('clip', {
    quantiles: z
      .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
      .default([0.01, 0.99])
      .refine(([low, high]) => low < high, 'the lower quantile must be below the upper'),
  }),
  /** numerator / denominator as a new numeric column (missing when the denominator is 0). */
  z.object({ type: z.literal('ratio'), numerator: name, denominator: name, as: name.optional() }).strict(),
  /** end − start in days (fractional) as a new numeric column. */
  z.object({ type: z.literal('days_between'), start: name, end: name, as: name.optional() }).strict(),
  /** Parts of a date column as numeric columns `<column>_<part>`, in UTC; weekday is ISO (1 = Monday). */
  eachColumn('date_parts', { parts: z.array(z.enum(datePartNames)).min(1).default(['year', 'month', 'weekday']) }),
  /** Length in characters and whitespace-separated word count of a text column, as `<column>_length`, `<column>_words`. */
  eachColumn('text_stats', { stats: z.array(z.enum(textStatNames)).min(1).default(['length', 'words']) }),
  /** One 0/1 column per level, for the most frequent `maxCategories` levels (default `features.maxCategories`). */
  eachColumn('onehot', { maxCategories: z.number().int().min(1).max(10_000).optional() }),
  /** The level's share of the training rows (0 for a level never seen). */
  eachColumn('frequency', {}),
  /**
   * The positive rate of the level, smoothed toward the overall rate: (positives + smoothing · prior) /
   * (rows + smoothing). Training rows get out-of-fold values (`folds` stratified folds), so no row's
   * encoding uses its own label; other rows get the statistics of all training rows.
   */
  eachColumn('target_encode', { folds: z.number().int().min(2).max(20).default(5), smoothing: z.number().min(0).default(10) }),
]);

const selectSchema = z
  .object({
    /** Of each pair of features with |Pearson r| above this, drop the one less informative about the target. */
    correlation: z.number().gt(0).lte(1).optional(),
    /** Keep the `top` features by mutual information with the target, and/or those with at least `min` nats. */
    mutualInfo: z
      .object({ top: z.number().int().min(1).optional(), min: z.number().min(0).optional() })
      .strict()
      .refine((rank) => rank.top !== undefined || rank.min !== undefined, 'give top, min, or both')
      .optional(),
    /** Selection statistics are computed on at most this many training rows (a seeded sample). */
    sampleRows: z.number().int().min(100).default(50_000),
  })
  .strict();

/**
 * Class imbalance: `scale_pos_weight` (negatives / positives of the training rows, as a booster
 * parameter; an explicitly configured `scale_pos_weight` wins), `smote` (synthetic minority rows
 * added to the training rows only) or `none`. A bare word is the method.
 */
const imbalanceSchema = z
  .preprocess(
    (value) => (typeof value === 'string' ? { method: value } : value),
    z.discriminatedUnion('method', [
      z.object({ method: z.literal('scale_pos_weight') }).strict(),
      z.object({ method: z.literal('smote'), k: z.number().int().min(1).max(50).default(5) }).strict(),
      z.object({ method: z.literal('none') }).strict(),
    ]),
  )
  .prefault('scale_pos_weight');

export const featuresSchema = z
  .object({
    /** Columns that are not features (identifiers, leaky columns); the target never is one. */
    exclude: z.array(name).default([]),
    /** Most one-hot levels per column; rarer levels set none of the column's features. */
    maxCategories: z.number().int().min(1).max(10_000).default(50),
    /**
     * Column steps run in list order, each reading the columns as the steps before it left them;
     * encoders (onehot, frequency, target_encode) read a column's final value. A categorical column
     * without an encoder is one-hot encoded; numeric columns are features as they are (missing stays
     * missing, which XGBoost routes by a learned default, unless an impute step fills it); date and
     * text columns become features only through date_parts, days_between and text_stats.
     */
    steps: z.array(featureStepSchema).default([]),
    select: selectSchema.optional(),
    imbalance: imbalanceSchema,
    /** Seed of target-encoding folds, SMOTE and the selection sample. */
    seed: z.number().int().default(42),
  })
  .strict();

export type FeaturesConfig = z.output<typeof featuresSchema>;
export type FeatureStepConfig = z.output<typeof featureStepSchema>;
export type DatePart = (typeof datePartNames)[number];
export type TextStat = (typeof textStatNames)[number];
export type Imbalance = FeaturesConfig['imbalance'];
export type SelectOptions = z.output<typeof selectSchema>;
