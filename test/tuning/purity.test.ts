import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

// models/tuning runs inside Temporal workflows: no Node built-ins, no I/O modules, no clock, no
// Math.random; only relative imports of its own files, models/random and lib/errors.
const folder = path.join(__dirname, '../../models/tuning');
const files = fs.readdirSync(folder).filter((file) => file.endsWith('.ts'));

describe('models/tuning purity', () => {
  it('has its files', () => assert.ok(files.length >= 20));

  for (const file of files) {
    it(`${file} imports only pure modules and uses no clock or global randomness`, () => {
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      for (const [, specifier] of text.matchAll(/from\s+'([^']+)'/g)) {
        assert.match(specifier!, /^(\.\/[a-z0-9-]+|\.\.\/random|\.\.\/\.\.\/lib\/errors)$/, `${file} imports ${specifier}`);
      }
      const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      assert.doesNotMatch(code, /\b(Math\.random|Date\.now|new Date\b|performance\.|setTimeout|setInterval|process\.|require\()/);
    });
  }
});
