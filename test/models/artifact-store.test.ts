import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactStore } from '../../lib/artifact-store';
import { InputError, NotFoundError } from '../../lib/errors';

describe('ArtifactStore', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-artifacts-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores content once under its hash and reads it back', () => {
    const store = new ArtifactStore(root);
    const key = store.put(Buffer.from('hello'));
    assert.equal(store.put(Buffer.from('hello')), key);
    assert.match(key, /^sha256:[0-9a-f]{64}$/);
    assert.equal(store.get(key).toString(), 'hello');
    assert.deepEqual(store.getJson(store.putJson({ a: [1, 2] })), { a: [1, 2] });
  });

  it('refuses corrupted and missing artifacts with clear errors', () => {
    const store = new ArtifactStore(root);
    const key = store.put(Buffer.from('model'));
    fs.writeFileSync(store.pathOf(key), 'tampered');
    assert.throws(() => store.get(key), (error: Error) => error instanceof InputError && /corrupted/.test(error.message));
    fs.rmSync(store.pathOf(key));
    assert.throws(() => store.get(key), NotFoundError);
  });

  it('never resolves a path outside the root', () => {
    const store = new ArtifactStore(root);
    assert.throws(() => store.pathOf('sha256:../../etc/passwd'), InputError);
    assert.throws(() => store.pathOf('../x'), InputError);
  });
});
