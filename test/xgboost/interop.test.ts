import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Booster, DMatrix, train, type XGBoostParams } from '../../models/xgboost';
import { pythonWithXGBoost } from './python';
import { rng } from './synthetic';

const ROWS = 400;
const COLS = 5;

/**
 * Values are multiples of 1/256 so their decimal text is exact: the CLI's LibSVM parser
 * and our Float32Array then hold bit-identical inputs.
 */
function dataset(seed: number) {
  const next = rng(seed);
  const data = new Float32Array(ROWS * COLS);
  const labels = new Float32Array(ROWS);
  const lines: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    const cells: string[] = [];
    let score = 0;
    for (let c = 0; c < COLS; c++) {
      const x = Math.round((next() * 2 - 1) * 256) / 256;
      score += c === 0 ? x : c === 1 ? -0.5 * x : 0.1 * x;
      // row 0 keeps every column so the parser sees index 0 and stays 0-based
      const missing = r > 0 && next() < 0.1;
      data[r * COLS + c] = missing ? Number.NaN : x;
      if (!missing) cells.push(`${c}:${x}`);
    }
    labels[r] = score + (next() - 0.5) * 0.3 > 0 ? 1 : 0;
    lines.push(`${labels[r]} ${cells.join(' ')}`);
  }
  return { data, labels, libsvm: `${lines.join('\n')}\n` };
}

function readF32(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

const CLI_PARAMS = { booster: 'gbtree', objective: 'binary:logistic', eta: 0.3, max_depth: 3, nthread: 1, seed: 0 } satisfies XGBoostParams;

describe('xgboost interop with the CLI and Python', function () {
  this.timeout(120_000);
  let dir: string;
  const train1 = dataset(31);
  const test1 = dataset(32);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-xgb-interop-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a model trained by the xgboost CLI and predicts exactly as its task=pred', () => {
    writeFileSync(join(dir, 'train.libsvm'), train1.libsvm);
    writeFileSync(join(dir, 'test.libsvm'), test1.libsvm);
    const conf = Object.entries(CLI_PARAMS).map(([k, v]) => `${k} = ${v}`);
    writeFileSync(join(dir, 'train.conf'), [...conf, 'task = train', 'num_round = 20',
      'data = "train.libsvm?format=libsvm"', 'model_out = "cli.model"', ''].join('\n'));
    writeFileSync(join(dir, 'pred.conf'), ['task = pred', 'nthread = 1', 'model_in = "cli.model"',
      'test:data = "test.libsvm?format=libsvm"', 'name_pred = "cli-pred.txt"', ''].join('\n'));
    execFileSync('xgboost', ['train.conf'], { cwd: dir, stdio: 'pipe' });
    execFileSync('xgboost', ['pred.conf'], { cwd: dir, stdio: 'pipe' });
    const cliPred = readFileSync(join(dir, 'cli-pred.txt'), 'utf8').trim().split('\n').map(Number);
    assert.equal(cliPred.length, ROWS);

    using model = Booster.fromFile(join(dir, 'cli.model'));
    assert.equal(model.boostedRounds(), 20);
    assert.equal(model.numFeatures(), COLS);
    using dtest = DMatrix.fromDense(test1.data, ROWS, COLS);
    const ours = model.predict(dtest);
    const inplace = model.inplacePredict(test1.data, ROWS, COLS);
    const maxDiff = Math.max(...cliPred.map((p, i) => Math.abs(p - ours[i]!)));
    assert.ok(maxDiff <= 1e-6, `max abs diff ${maxDiff}`);
    assert.deepEqual(inplace, ours);

    // the same params here (one thread, same data) grow the same trees
    using dtrain = DMatrix.fromDense(train1.data, ROWS, COLS, { labels: train1.labels });
    using mine = train({ params: CLI_PARAMS, dtrain, rounds: 20 }).booster;
    assert.deepEqual(mine.dumpTrees(), model.dumpTrees());
    assert.deepEqual(mine.predict(dtest), ours);
  });

  it('trains a model that python3-xgboost loads and predicts identically, and loads Python models back', () => {
    using dtrain = DMatrix.fromDense(train1.data, ROWS, COLS, { labels: train1.labels, featureNames: ['a', 'b', 'c', 'd', 'e'] });
    using booster = train({ params: { ...CLI_PARAMS, nthread: 2, max_depth: 4 }, dtrain, rounds: 25 }).booster;
    using dtest = DMatrix.fromDense(test1.data, ROWS, COLS);
    const ours = booster.predict(dtest);
    booster.saveFile(join(dir, 'kiln.json'));
    writeFileSync(join(dir, 'kiln.ubj'), booster.save('ubj'));
    writeFileSync(join(dir, 'x.f32'), test1.data);
    writeFileSync(join(dir, 'train.f32'), train1.data);
    writeFileSync(join(dir, 'train-labels.f32'), train1.labels);
    const script = `
import numpy as np, xgboost as xgb, sys
d = sys.argv[1]
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${ROWS}, ${COLS})
for name in ('kiln.json', 'kiln.ubj'):
    b = xgb.Booster(model_file=d + '/' + name)
    assert b.feature_names == ['a', 'b', 'c', 'd', 'e'], b.feature_names
    b.predict(xgb.DMatrix(x, feature_names=b.feature_names)).astype(np.float32).tofile(d + '/py-' + name + '.f32')
xt = np.fromfile(d + '/train.f32', dtype=np.float32).reshape(${ROWS}, ${COLS})
yt = np.fromfile(d + '/train-labels.f32', dtype=np.float32)
m = xgb.train({'objective': 'binary:logistic', 'max_depth': 3, 'nthread': 1}, xgb.DMatrix(xt, label=yt), 15)
m.save_model(d + '/py.json')
m.predict(xgb.DMatrix(x)).astype(np.float32).tofile(d + '/py-own.f32')
`;
    execFileSync(pythonWithXGBoost(), ['-c', script, dir], { stdio: 'pipe' });
    for (const name of ['kiln.json', 'kiln.ubj']) {
      const py = readF32(join(dir, `py-${name}.f32`));
      assert.deepEqual(py, ours, name);
    }
    using fromPython = Booster.fromFile(join(dir, 'py.json'));
    const pyOwn = readF32(join(dir, 'py-own.f32'));
    assert.deepEqual(fromPython.predict(dtest), pyOwn);
  });
});
