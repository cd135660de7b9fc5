/**
 * Recognises constraint violations from either driver: PostgreSQL's SQLSTATE codes (pg) and SQLite's
 * extended result codes (better-sqlite3), so the registry can turn them into the error taxonomy.
 */
export type ConstraintKind = 'unique' | 'foreign-key' | 'check' | 'not-null';

const postgresCodes: Record<string, ConstraintKind> = {
  '23505': 'unique',
  '23503': 'foreign-key',
  '23514': 'check',
  '23502': 'not-null',
};

const sqliteCodes: Record<string, ConstraintKind> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not-null',
};

/** The kind of constraint an error from the database violated, or undefined for any other error. */
export function constraintViolation(error: unknown): ConstraintKind | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return postgresCodes[code] ?? sqliteCodes[code];
}

export function isUniqueViolation(error: unknown): boolean {
  return constraintViolation(error) === 'unique';
}
