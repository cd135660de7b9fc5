import assert from 'node:assert/strict';
import type { InputColumn } from '../../models/features/feature-pipeline';
import { mutualInformation } from '../../models/features/selection';
import { fit } from './helpers';

describe('feature selection, fitted on the training rows', () => {
  // signal decides y; echo is signal blurred by a little noise; noise and flat say nothing.
  const rows = Array.from({ length: 400 }, (_, i) => {
    const signal = (i * 37) % 100;
    return { signal, echo: signal + ((i * 13) % 7) - 3, noise: (i * 7919) % 101, flat: 5, colour: i % 2 ? 'red' : 'blue', y: signal >= 50 ? 1 : 0 };
  });
  const inputs: InputColumn[] = ['signal', 'echo', 'noise', 'flat'].map((name) => ({ name, kind: 'numeric' }));

  it('mutual information: zero for an independent feature, the label entropy for a copy of the label', () => {
    const labels = Float32Array.from({ length: 1000 }, (_, i) => i % 2);
    assert.ok(Math.abs(mutualInformation(Float64Array.from(labels), labels) - Math.log(2)) < 1e-12);
    assert.ok(mutualInformation(Float64Array.from({ length: 1000 }, (_, i) => Math.floor(i / 2) % 2), labels) < 1e-12);
  });

  it('drops one of each highly correlated pair: the one that says less about the target', () => {
    const fitted = fit(rows, inputs, { select: { correlation: 0.95 } });
    assert.deepEqual(fitted.state.featureNames, ['signal', 'noise', 'flat']);
    assert.match(fitted.state.fit!.dropped[0]!.reason, /^\|r\| = 0\.99\d with signal, above 0\.95$/);
    assert.equal(fitted.state.fit!.dropped[0]!.feature, 'echo');
    // echo is no longer an input: the API does not ask for it.
    assert.deepEqual(fitted.pipeline.inputs.map((input) => input.name), ['signal', 'noise', 'flat']);
    assert.equal(fitted.matrix.cols, 3);
    assert.deepEqual(Array.from(fitted.matrix.data.subarray(0, 3)), Array.from(fitted.pipeline.transform([rows[0]!])));
  });

  it('keeps the top k by mutual information, or those above a minimum', () => {
    const top = fit(rows, inputs, { select: { mutualInfo: { top: 2 } } });
    assert.deepEqual(top.state.featureNames.sort(), ['echo', 'signal']);
    assert.match(top.state.fit!.dropped.find((d) => d.feature === 'flat')!.reason, /^mutual information 0\.0000 nats, ranked 4 of 4; top 2 kept$/);
    const min = fit(rows, inputs, { select: { mutualInfo: { min: 0.05 } } });
    assert.deepEqual(min.state.featureNames, ['signal', 'echo']);
  });

  it('drops one-hot levels one by one and steps that feed no kept feature', () => {
    const fitted = fit(rows, [...inputs, { name: 'colour', kind: 'categorical' }], {
      steps: [{ type: 'log1p', column: 'noise' }],
      select: { correlation: 0.99 },
    });
    // colour=red is exactly 1 − colour=blue: one of them goes (the later, as they tie).
    assert.deepEqual(fitted.state.featureNames.filter((name) => name.startsWith('colour')), ['colour=blue']);
    const pruned = fit(rows, inputs, { steps: [{ type: 'log1p', column: 'noise' }], select: { mutualInfo: { top: 1 } } });
    assert.deepEqual(pruned.state.featureNames, ['signal']);
    assert.deepEqual(pruned.state.steps, []);
    assert.deepEqual(pruned.pipeline.inputs, [{ name: 'signal', kind: 'numeric' }]);
  });
});
