import { z } from 'zod';
import type { InputColumn } from '../models/features/feature-pipeline';
import { parseNumeric } from '../models/features/raw-values';

/**
 * The zod schema of one raw record for a model's inputs: every input column must be present; numeric
 * columns take a number, a numeric string or null (missing); categorical columns take a string, a
 * number, a boolean or null. Other fields (identifiers, the target) are ignored.
 */
export function recordSchema(inputs: InputColumn[]) {
  const numeric = z.union([z.number(), z.string(), z.null()]).refine((value) => parseNumeric(value) !== undefined, {
    message: 'expected a number, a numeric string, or null for a missing value',
  });
  const categorical = z.union([z.string(), z.number(), z.boolean(), z.null()], {
    error: 'expected a string, a number, a boolean, or null for a missing value',
  });
  const shape = Object.fromEntries(inputs.map(({ name, kind }) => [name, kind === 'numeric' ? numeric : categorical]));
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
