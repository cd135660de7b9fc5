import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { parseSearchSpace } from '../models/tuning';
import { xgboostParamsSchema } from '../models/xgboost/params-schema';
import { validationRulesSchema } from '../models/validation/rules';
import { featuresSchema } from '../models/features/config';
import { checkSourceForms, incrementalSchema, resolveSourcePaths, sourceListSchema, sourceSchema } from '../models/data/source-config';
import { fieldPath, InputError } from './errors';

const metricName = z.enum(['roc_auc', 'pr_auc', 'log_loss', 'accuracy', 'f1', 'precision', 'recall']);
/** A span of time as Temporal reads it: a whole number and a unit, e.g. 90s, 30m, 6h, 1d. */
const duration = z.string().regex(/^[1-9][0-9]*(ms|s|m|h|d)$/, 'a duration like 90s, 30m, 6h or 1d');

export const pipelineConfigSchema = z
  .object({
    /** Model name: the registry key and the workflow id's stem. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, starting with a letter or digit'),
    description: z.string().optional(),
    /** Where the rows come from: one source, or a list combined in order (models/data/source-config); relative paths are resolved from the config file's folder. */
    source: sourceSchema.optional(),
    sources: sourceListSchema.optional(),
    incremental: incrementalSchema.optional(),
    target: z
      .object({
        column: z.string().min(1),
        positive: z.union([z.string(), z.number()]).transform(String),
        /** Only rows whose target is one of these are used (others are dropped before the split), e.g. [successful, failed]. */
        keep: z.array(z.union([z.string(), z.number()]).transform(String)).min(2).optional(),
      })
      .strict()
      .refine((target) => !target.keep || target.keep.includes(target.positive), { message: 'the positive class must be one of the kept values', path: ['keep'] }),
    /** Excluded columns, column steps, selection and class imbalance (models/features/config). */
    features: featuresSchema.prefault({}),
    /** Schema and data-quality rules checked before anything is trained (see models/validation). */
    validation: validationRulesSchema.prefault({}),
    split: z
      .object({ testFraction: z.number().gt(0).lt(1).default(0.2), seed: z.number().int().default(42) })
      .strict()
      .default({ testFraction: 0.2, seed: 42 }),
    training: z
      .object({
        rounds: z.number().int().min(1).max(100_000),
        /** XGBoost's parameters, typed and checked (unknown names refused): see models/xgboost/params-schema.ts. */
        params: xgboostParamsSchema.default({}),
      })
      .strict(),
    /** Optional hyper-parameter search (child workflow tuningStudy); its best params and rounds are refitted. */
    tuning: z
      .object({
        trials: z.number().int().min(1).max(10_000),
        parallelism: z.number().int().min(1).max(64).default(2),
        /** Stop after this many finished trials without improvement; 0 runs the whole budget. */
        patience: z.number().int().min(0).default(0),
        /** Wall-time budget (workflow time, from the study's start): no trial starts after it, running ones finish. */
        timeout: duration.optional(),
        /** Enqueue the best trials of the model's previous study first: true for its best 3, or how many. */
        warmStart: z.union([z.boolean(), z.number().int().min(1).max(100)]).optional(),
        folds: z.number().int().min(2).max(20).default(3),
        maxRounds: z.number().int().min(1).max(100_000).default(1000),
        earlyStoppingRounds: z.number().int().min(1).default(50),
        metric: z.enum(['roc_auc', 'pr_auc', 'log_loss']).default('roc_auc'),
        sampler: z.enum(['tpe', 'random']).default('tpe'),
        /** Stops unpromising trials early, judging the first fold's score every `every` rounds. */
        pruner: z
          .object({
            type: z.enum(['median', 'none']).default('median'),
            nStartupTrials: z.number().int().min(0).default(5),
            nWarmupSteps: z.number().int().min(0).default(50),
            every: z.number().int().min(1).default(10),
          })
          .strict()
          .prefault({}),
        seed: z.number().int().default(42),
        /** Parameter → distribution, as models/tuning's parseSearchSpace reads it. */
        space: z.record(z.string(), z.unknown()),
      })
      .strict()
      .optional(),
    /** How a probability becomes a label: chosen on out-of-fold predictions of the training rows, never on the holdout. */
    threshold: z
      .discriminatedUnion('rule', [
        z.object({ rule: z.literal('fixed'), value: z.number().gt(0).lt(1).default(0.5) }).strict(),
        z.object({ rule: z.literal('max_f1') }).strict(),
        /** The lowest threshold reaching this precision (the most recall at that precision). */
        z.object({ rule: z.literal('target_precision'), value: z.number().gt(0).lte(1) }).strict(),
        /** The highest threshold keeping this recall (the most precision at that recall). */
        z.object({ rule: z.literal('target_recall'), value: z.number().gt(0).lte(1) }).strict(),
      ])
      .default({ rule: 'fixed', value: 0.5 }),
    /** When a candidate replaces production (as MLflow's MetricThreshold), judged on the same holdout rows. */
    promotion: z
      .object({
        metric: metricName.default('roc_auc'),
        /** The candidate's floor on `metric` (a ceiling for log_loss). */
        minValue: z.number().optional(),
        /** The candidate must beat production by at least this much on `metric`. */
        minImprovement: z.number().min(0).default(0),
        /** …and by at least this share of production's value (0.01 = 1%). */
        minRelativeImprovement: z.number().min(0).default(0),
        /** Metrics that must not get worse than production's by more than their tolerance. */
        guards: z.array(z.object({ metric: metricName, tolerance: z.number().min(0).default(0) }).strict()).default([]),
      })
      .strict()
      .prefault({}),
    /** Retraining on a Temporal Schedule (`kiln schedule create`): a cron expression or an interval. */
    schedule: z
      .object({
        cron: z.string().min(1).optional(),
        every: duration.optional(),
        /** No retraining starts sooner than this after the last model version of the same model. */
        cooldown: duration.default('1h'),
      })
      .strict()
      .refine((schedule) => (schedule.cron === undefined) !== (schedule.every === undefined), 'give exactly one of cron and every')
      .optional(),
    /** Drift monitoring of the served model (`kiln schedule create` also schedules it); major drift triggers retraining. */
    monitoring: z
      .object({
        every: duration.default('1h'),
        /** How many of the latest logged predictions are compared with the training data. */
        window: z.number().int().min(50).max(1_000_000).default(1000),
        /** Retrain when a column's population stability index reaches this (0.25 is the usual "major"). */
        psiThreshold: z.number().gt(0).default(0.25),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((config, context) => {
    const problem = checkSourceForms(config);
    if (problem) context.addIssue({ code: 'custom', ...problem });
  });

export type PipelineConfig = z.output<typeof pipelineConfigSchema>;

/** Validates a parsed config; errors name the path of each bad field. */
export function parsePipelineConfig(value: unknown, origin = 'pipeline config'): PipelineConfig {
  const result = pipelineConfigSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${fieldPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new InputError(`${origin} is invalid:\n  ${problems.join('\n  ')}`, { origin, problems });
  }
  if (result.data.tuning) {
    try {
      parseSearchSpace(result.data.tuning.space, 'tuning.space');
    } catch (error) {
      throw new InputError(`${origin} is invalid:\n  ${(error as Error).message}`, { origin });
    }
  }
  return result.data;
}

/** Reads a YAML (or JSON) config file and resolves its source paths against the file's folder. */
export function loadPipelineConfig(file: string): PipelineConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`config file not found: ${file}`, { file });
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid YAML: ${(error as Error).message}`, { file });
  }
  return resolveSourcePaths(parsePipelineConfig(parsed, file), path.dirname(path.resolve(file)));
}
