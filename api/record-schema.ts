import { z } from 'zod';
import { parseDate } from '../models/features/dates';
import type { InputColumn, InputKind } from '../models/features/feature-pipeline';
import { parseNumeric, type RawValue } from '../models/features/raw-values';

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
