import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Booster, DMatrix, train } from '../../models/xgboost';
import { binaryData } from './synthetic';

const MB = 1024 * 1024;

// A gc() without restarting node with --expose-gc, so the FinalizationRegistry backstop
// can be exercised deterministically.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settle(): Promise<void> {
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  await new Promise((r) => setTimeout(r, 10));
}

describe('xgboost native memory', function () {
  this.timeout(300_000);
  const tr = binaryData(500, 8, 41);
  let model: Buffer;

  before(() => {
    using d = DMatrix.fromDense(tr.data, tr.rows, tr.cols, { labels: tr.labels });
    using b = train({ params: { objective: 'binary:logistic', max_depth: 4, nthread: 1 }, dtrain: d, rounds: 10 }).booster;
    model = b.save('ubj');
  });

  it('keeps RSS bounded over 20,000 create/predict/dispose cycles', async () => {
    using booster = Booster.fromBuffer(model);
    const row = tr.data.slice(0, 8);
    const cycle = (i: number) => {
      using d = DMatrix.fromDense(tr.data.subarray(0, 16 * 8), 16, 8, { labels: tr.labels.subarray(0, 16) });
      booster.predict(d);
      booster.inplacePredict(row, 1, 8);
      if (i % 20 === 0) {
        using b = Booster.fromBuffer(model);
        b.predict(d, { predContribs: true });
      }
    };
    for (let i = 0; i < 1000; i++) cycle(i); // warm up allocator pools and caches
    await settle();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 20_000; i++) cycle(i);
    await settle();
    const growth = (process.memoryUsage().rss - before) / MB;
    assert.ok(growth < 50, `RSS grew ${growth.toFixed(1)} MB`);
  });

  it('frees forgotten matrices through the FinalizationRegistry backstop', async () => {
    const big = new Float32Array(2000 * 25).fill(1); // 200 KB per matrix
    const make = () => void DMatrix.fromDense(big, 2000, 25); // never disposed
    for (let i = 0; i < 100; i++) make();
    await settle();
    const before = process.memoryUsage().rss;
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 100; i++) make(); // 20 MB of native data per round if leaked
      await settle();
    }
    const growth = (process.memoryUsage().rss - before) / MB;
    assert.ok(growth < 100, `RSS grew ${growth.toFixed(1)} MB (200 MB would mean a leak)`);
  });
});
