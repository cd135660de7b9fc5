import { z } from 'zod';
import { parseDate } from '../models/features/dates';
import type { InputColumn, InputKind } from '../models/features/feature-pipeline';
import { parseNumeric, type RawRecord, type RawValue } from '../models/features/raw-values';

/**
 * The zod schema of one raw record for a model's inputs: every input column must be present; numeric
 * columns take a number, a numeric string or null (missing); categorical columns take a string, a
 * number, a boolean or null; date columns an ISO date or date-time (`2018-03-01`,
 * `2018-03-01 12:00:00`, `2018-03-01T12:00:00Z`) or null; text columns a string or null. Values are
 * checked with the parsers the pipeline uses, so what passes here transforms. Other fields
 * (identifiers, the target) are ignored.
 */
export function recordSchema(inputs: InputColumn[]) {
  const byKind: Record<InputKind, z.ZodType<Exclude<RawValue, undefined>>> = {
    numeric: z.union([z.number(), z.string(), z.null()]).refine((value) => parseNumeric(value) !== undefined, {
      message: 'expected a number, a numeric string, or null for a missing value',
    }),
    categorical: z.union([z.string(), z.number(), z.boolean(), z.null()], {
      error: 'expected a string, a number, a boolean, or null for a missing value',
    }),
    date: z.union([z.string(), z.null()]).refine((value) => parseDate(value) !== undefined, {
      message: 'expected a date (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601 such as 2018-03-01T12:00:00Z), or null for a missing value',
    }),
    text: z.union([z.string(), z.null()], { error: 'expected a string, or null for a missing value' }),
  };
  const shape = Object.fromEntries(inputs.map(({ name, kind }) => [name, byKind[kind]]));
  return z.looseObject(shape);
}

export type RecordSchema = ReturnType<typeof recordSchema>;

/** A model's check of one raw record: what `recordSchema` accepts, with the common valid record fast. */
export interface RecordValidator {
  /** The zod schema the check is equal to (the OpenAPI document publishes it). */
  schema: RecordSchema;
  /** The record as the pipeline reads it (zod's output: input columns first, other fields after), or its per-field issues. */
  validate(input: unknown): { data: RawRecord } | { issues: FieldIssue[] };
}

/** Whether a value passes the zod schema of its input kind (see `recordSchema`), without building a result. */
const passes: Record<InputKind, (value: unknown) => boolean> = {
  numeric: (value) => value === null || (typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && parseNumeric(value) !== undefined),
  categorical: (value) => value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)),
  date: (value) => value === null || (typeof value === 'string' && parseDate(value) !== undefined),
  text: (value) => value === null || typeof value === 'string',
};

/**
 * `recordSchema(inputs)` as a validator. zod costs microseconds per record (thousands per batch), so a
 * compiled check accepts the common valid record and builds the same output zod would; anything it does
 * not accept goes through zod, which alone words the per-field issues. The check only accepts what zod
 * accepts (test/api/record-validator.test.ts compares them on generated records).
 */
export function recordValidator(inputs: InputColumn[]): RecordValidator {
  const schema = recordSchema(inputs);
  // zod neither checks nor copies a column named __proto__ (assigning it would replace the prototype).
  const columns = inputs.filter((input) => input.name !== '__proto__');
  const names = columns.map((input) => input.name);
  const checks = columns.map((input) => passes[input.kind]);
  const declared = new Set(inputs.map((input) => input.name));
  // An object literal of the columns: one allocation of a fixed shape, several times cheaper than adding the keys one by one.
  const copyColumns = new Function('record', `return { ${names.map((name) => `${JSON.stringify(name)}: record[${JSON.stringify(name)}]`).join(', ')} };`) as (
    record: Record<string, unknown>,
  ) => Record<string, unknown>;
  /** zod's output for a record whose every column passes: the columns in input order, then the other keys as `for…in` lists them. */
  const accepted = (record: Record<string, unknown>): RawRecord | undefined => {
    for (let i = 0; i < names.length; i++) if (!checks[i]!(record[names[i]!])) return undefined;
    const data = copyColumns(record);
    for (const key in record) if (!declared.has(key) && key !== '__proto__') data[key] = record[key];
    return data as RawRecord;
  };
  return {
    schema,
    validate(input) {
      const fast = typeof input === 'object' && input !== null && !Array.isArray(input) ? accepted(input as Record<string, unknown>) : undefined;
      if (fast) return { data: fast };
      const parsed = schema.safeParse(input);
      return parsed.success ? { data: parsed.data as RawRecord } : { issues: fieldIssues(parsed.error, input) };
    },
  };
}

/** One problem with a request's input, named by its field path. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The issues of a failed parse of `input`; a field absent from the input is reported as required. */
export function fieldIssues(error: z.ZodError, input: unknown): FieldIssue[] {
  const present = (key: PropertyKey) => typeof input === 'object' && input !== null && key in input;
  return error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.path.length === 1 && !present(issue.path[0]!) ? 'required' : issue.message,
  }));
}
