import assert from 'node:assert/strict';
import { formatProgress } from '../../cli/progress';

describe('kiln train --wait: the progress line', () => {
  const features = { reused: true, reusedSets: 1, fittedSets: 0, ms: 40 };

  it('fills the bar by stage and, while tuning, by trials done, with the best value', () => {
    assert.equal(formatProgress({ stage: 'ingest' }, undefined, 1_200), '[------------------------] ingest · 1s');
    const study = { done: 10, total: 20, running: 2, bestValue: 0.84567 } as Parameters<typeof formatProgress>[1];
    assert.equal(formatProgress({ stage: 'tune' }, study, 30_000), '[############------------] tune 10/20 trials, 2 running, best 0.8457 · 30s');
  });

  it('says whether the features were reused or fitted once they are built, and the version at the end', () => {
    assert.doesNotMatch(formatProgress({ stage: 'features' }, undefined, 0), /reused|fitted/);
    assert.match(formatProgress({ stage: 'evaluate', features }, undefined, 0), / evaluate · features reused \(0\.0s\) · 0s$/);
    assert.equal(formatProgress({ stage: 'done', version: 3, features: { ...features, reused: false, fittedSets: 1, reusedSets: 0, ms: 1_540 } }, undefined, 61_000), '[########################] done (version 3) · features fitted (1.5s) · 61s');
  });
});
