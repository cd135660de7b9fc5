import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../lib/settings';

// Workflow code must stay deterministic: it may import other modules only as types, except the
// Temporal workflow API and the pure parts of models/ (no I/O, no native code, no clock).
const allowedValueImports = [/^@temporalio\/(workflow|common)$/, /^\.\.\/models\/(promotion-gate|metrics|random|tuning(\/.*)?)$/, /^\.\/[a-z-]+$/];
const banned = /^(node:|fs$|path$|crypto$|knex|nodejs-polars|koffi|hono|@hono|pino|better-sqlite3|pg$)/;

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

function importsOf(file: string): Array<{ specifier: string; typeOnly: boolean }> {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)].map((match) => ({ specifier: match[3]!, typeOnly: Boolean(match[2]) }));
}

describe('workflow determinism fence', () => {
  const files = sourceFiles(path.join(projectRoot, 'workflows'));

  it('finds the workflow sources', () => assert.ok(files.length >= 2));

  for (const file of files) {
    it(`${path.relative(projectRoot, file)} imports no I/O and only pure modules as values`, () => {
      for (const { specifier, typeOnly } of importsOf(file)) {
        assert.ok(!banned.test(specifier) || typeOnly, `${specifier} is banned in workflow code`);
        if (!typeOnly) assert.ok(allowedValueImports.some((pattern) => pattern.test(specifier)), `${specifier} may only be imported with \`import type\``);
      }
      assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /\b(Math\.random|Date\.now|new Date\(|setTimeout|process\.)/, 'use the workflow API for time, randomness and sleep');
    });
  }
});
