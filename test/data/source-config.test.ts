import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../lib/errors';
import { loadPipelineConfig, parsePipelineConfig } from '../../lib/pipeline-config';
import { projectRoot } from '../../lib/settings';

const base = { name: 'm', target: { column: 'y', positive: 'Yes' }, training: { rounds: 5 } };

/** The problems a config is refused for, one per line, each led by its path. */
function problems(config: object): string[] {
  try {
    parsePipelineConfig({ ...base, ...config }, 'm.yaml');
  } catch (error) {
    assert.ok(error instanceof InputError);
    return error.message.split('\n').slice(1).map((line) => line.trim());
  }
  assert.fail('the config should have been refused');
}

describe('pipeline config: source and sources', () => {
  it('keeps the single source as it was, with the defaults filled in', () => {
    const config = parsePipelineConfig({ ...base, source: { type: 'csv', path: 'a.csv' } });
    assert.deepEqual(config.source, { type: 'csv', path: 'a.csv', delimiter: ',', quote: '"', encoding: 'utf8' });
    assert.equal(config.sources, undefined);
  });

  it('reads a list of sources of every type, joins and the watermark', () => {
    const config = parsePipelineConfig({
      ...base,
      sources: [
        { type: 'csv', path: 'a.csv', delimiter: ';', encoding: 'latin1' },
        { type: 'parquet', path: 'b.parquet' },
        { type: 'jsonl', path: 'c.jsonl' },
        { type: 'http', url: 'https://example.org/d.csv', join: { on: ['id'] } },
        { type: 'sql', connection: { env: 'CRM_DATABASE_URL' }, query: 'SELECT id, plan FROM accounts', join: { on: ['id'], how: 'left' } },
      ],
      incremental: { watermark: 'updated_at' },
    });
    assert.deepEqual(config.sources?.[3], { type: 'http', url: 'https://example.org/d.csv', delimiter: ',', quote: '"', timeoutSeconds: 60, join: { on: ['id'], how: 'inner' } });
    assert.deepEqual(config.sources?.[4], { type: 'sql', connection: { env: 'CRM_DATABASE_URL' }, query: 'SELECT id, plan FROM accounts', join: { on: ['id'], how: 'left' } });
    assert.deepEqual(config.incremental, { watermark: 'updated_at' });
  });

  it('names the path of each bad field', () => {
    assert.deepEqual(problems({ sources: [{ type: 'csv', path: 'a.csv' }, { type: 'sql', connection: 'sqlite:crm.db' }] }), ['sources[1].query: required for type sql']);
    assert.deepEqual(problems({ sources: [{ type: 'csv', path: 'a.csv', join: { on: ['id'] } }] }), ['sources[0].join: the first source has nothing to join to']);
    assert.deepEqual(problems({ source: { type: 'excel', path: 'a.xlsx' } }), ['source.type: expected type to be one of csv, parquet, jsonl, http, sql']);
    assert.deepEqual(problems({ source: { type: 'http', url: 'ftp://example.org/a.csv' } }), ['source.url: expected an http:// or https:// URL']);
    assert.deepEqual(problems({ sources: [{ type: 'sql', connection: 'mysql://db/crm', query: 'SELECT 1' }] }), [
      'sources[0].connection: expected "sqlite:<file path>" or "postgres://user@host:port/database"',
    ]);
    assert.deepEqual(problems({ source: { type: 'csv', path: 'a.csv', join: { on: ['id'] } } }), ['source: Unrecognized key: "join"']);
    assert.deepEqual(problems({ source: { type: 'csv', path: 'a.csv', delimiter: '||' } }), ['source.delimiter: expected a single ASCII character']);
    assert.deepEqual(problems({ source: { type: 'csv', path: 'a.csv', quote: '«' } }), ['source.quote: expected a single ASCII character']);
    assert.deepEqual(problems({ sources: [] }), ['sources: Too small: expected array to have >=1 items']);
  });

  it('wants exactly one of source and sources', () => {
    assert.deepEqual(problems({}), ['source: required (or a sources: list)']);
    assert.deepEqual(problems({ source: { type: 'csv', path: 'a.csv' }, sources: [{ type: 'csv', path: 'b.csv' }] }), ['sources: give either source or sources, not both']);
  });

  it('resolves relative file paths and SQLite files against the config file\'s folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-config-'));
    try {
      const file = path.join(dir, 'pipelines', 'p.yaml');
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(
        file,
        [
          'name: m',
          'target: { column: y, positive: "Yes" }',
          'training: { rounds: 5 }',
          'sources:',
          '  - { type: csv, path: ../data/a.csv }',
          '  - { type: parquet, path: /abs/b.parquet }',
          '  - { type: sql, connection: "sqlite:../crm.sqlite", query: SELECT 1 }',
          '  - { type: sql, connection: "postgres://db/crm", query: SELECT 1 }',
        ].join('\n'),
      );
      const config = loadPipelineConfig(file);
      assert.deepEqual(
        config.sources?.map((s) => ('path' in s ? s.path : s.type === 'sql' ? s.connection : s.url)),
        [path.join(dir, 'data/a.csv'), '/abs/b.parquet', `sqlite:${path.join(dir, 'crm.sqlite')}`, 'postgres://db/crm'],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads the shipped pipelines, which use the single source form', () => {
    for (const name of fs.readdirSync(path.join(projectRoot, 'data/pipelines'))) {
      const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines', name));
      assert.ok(config.source && 'path' in config.source && fs.existsSync(config.source.path), name);
    }
  });
});
