import { z } from 'zod';
import { fieldPath, InputError } from '../../lib/errors';
import { parseIsoDate } from './dates';

const share = z.number().min(0).max(1);
const checkSeverity = z.enum(['error', 'warning', 'ignore']);
/** How a broken declared rule counts; 'warning' lets a known bad record through without failing the run. */
const ruleSeverity = z.enum(['error', 'warning']).default('error');

const isoDate = z.string().superRefine((text, context) => {
  if (parseIsoDate(text) === undefined) context.addIssue({ code: 'custom', message: `expected an ISO date like 2018-03-01 or 2018-03-01 12:00:00, got ${JSON.stringify(text)}` });
});

const columnRuleSchema = z
  .object({
    type: z.enum(['number', 'string', 'date']).optional(),
    /** false: any missing value is an error. */
    nullable: z.boolean().optional(),
    /** Numbers for 'number' columns; ISO dates for 'date' columns. Inclusive. */
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    allowed: z.array(z.union([z.string(), z.number()])).min(1).optional(),
    /** A JavaScript regular expression, unanchored as in JSON Schema: add ^…$ to match the whole value. */
    pattern: z.string().optional(),
    unique: z.boolean().optional(),
    /** Overrides the dataset-wide `maxMissingShare` for this column. */
    maxMissingShare: share.optional(),
    severity: ruleSeverity,
  })
  .strict()
  .superRefine((rule, context) => {
    const isDate = rule.type === 'date';
    for (const key of ['min', 'max'] as const) {
      const bound = rule[key];
      if (bound === undefined) continue;
      if (isDate && (typeof bound !== 'string' || parseIsoDate(bound) === undefined)) {
        context.addIssue({ code: 'custom', path: [key], message: `a date column's ${key} must be an ISO date, got ${JSON.stringify(bound)}` });
      } else if (!isDate && typeof bound !== 'number') {
        context.addIssue({ code: 'custom', path: [key], message: `${key} must be a number (bounds as text need type: date), got ${JSON.stringify(bound)}` });
      }
    }
    if (rule.min !== undefined && rule.max !== undefined && boundValue(rule.min) > boundValue(rule.max)) {
      context.addIssue({ code: 'custom', path: ['max'], message: `max ${JSON.stringify(rule.max)} is below min ${JSON.stringify(rule.min)}` });
    }
    if (rule.pattern !== undefined) {
      try {
        new RegExp(rule.pattern, 'u');
      } catch (error) {
        context.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression ${JSON.stringify(rule.pattern)}: ${(error as Error).message}` });
      }
    }
  });

const dateRuleSchema = z
  .object({ min: isoDate.optional(), max: isoDate.optional(), severity: ruleSeverity })
  .strict()
  .superRefine((rule, context) => {
    if (rule.min !== undefined && rule.max !== undefined && parseIsoDate(rule.min)! > parseIsoDate(rule.max)!) {
      context.addIssue({ code: 'custom', path: ['max'], message: `max ${rule.max} is before min ${rule.min}` });
    }
  });

/**
 * Declared schema and data-quality rules for one dataset; the `validation:` block of a pipeline config.
 * Every key has a default, so `{}` is valid. In a parent schema use `validationRulesSchema.prefault({})`
 * (zod 4's `.default({})` would skip these inner defaults).
 *
 * @example
 * validationRulesSchema.parse({
 *   columns: { tenure: { type: 'number', min: 0, max: 100, nullable: false }, customerID: { unique: true } },
 *   dates: { launched: { min: '2009-01-01' } },
 *   ignore: ['customerID'],
 * });
 */
export const validationRulesSchema = z
  .object({
    columns: z.record(z.string(), columnRuleSchema).default({}),
    /** Largest share of missing values a column may hold before it is an error. Default 0.5. */
    maxMissingShare: share.default(0.5),
    /** Rows equal to an earlier row in every column but `ignore` and the excluded features. Default warning. */
    duplicateRows: checkSeverity.default('warning'),
    /** Columns with a single distinct present value. Default warning. */
    constantColumns: checkSeverity.default('warning'),
    /** Fewest rows each of the positive and the negative class must have. Default 10. */
    minClassCount: z.number().int().min(1).default(10),
    /** A feature (or a ratio of two numeric features) this predictive of the target is an error. Default 0.98. */
    leakageAuc: z.number().gt(0.5).max(1).default(0.98),
    /** …and this predictive a warning. Default 0.9. */
    leakageWarnAuc: z.number().gt(0.5).max(1).default(0.9),
    /** Also score ratios of numeric feature pairs (pledged / goal). Default true. */
    leakageRatios: z.boolean().default(true),
    /** Date columns with optional inclusive bounds; listing a column here declares it a date column. */
    dates: z.record(z.string(), dateRuleSchema).default({}),
    /** Columns no automatic check looks at (identifiers); declared `columns` rules still apply. */
    ignore: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((rules, context) => {
    if (rules.leakageWarnAuc > rules.leakageAuc) {
      context.addIssue({ code: 'custom', path: ['leakageWarnAuc'], message: `leakageWarnAuc ${rules.leakageWarnAuc} is above leakageAuc ${rules.leakageAuc}` });
    }
    for (const column of Object.keys(rules.dates)) {
      const declared = rules.columns[column]?.type;
      if (declared !== undefined && declared !== 'date') {
        context.addIssue({ code: 'custom', path: ['dates', column], message: `${column} is declared type ${declared} in columns but listed under dates` });
      }
    }
  });

export type ValidationRules = z.output<typeof validationRulesSchema>;
export type ValidationRulesInput = z.input<typeof validationRulesSchema>;
export type ColumnRule = ValidationRules['columns'][string];

/** Parses rules; the InputError names the path of each bad field. */
export function parseValidationRules(value: unknown, origin = 'validation rules'): ValidationRules {
  const result = validationRulesSchema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${fieldPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new InputError(`${origin} are invalid:\n  ${problems.join('\n  ')}`, { origin, problems });
  }
  return result.data;
}

function boundValue(bound: number | string): number {
  return typeof bound === 'number' ? bound : (parseIsoDate(bound) ?? NaN);
}
