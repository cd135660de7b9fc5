import assert from 'node:assert/strict';
import { erf, erfc } from '../../models/tuning/erf';
import { logGaussMass, logNdtr, ndtr, ppf, truncnormLogPdf } from '../../models/tuning/truncnorm';

const close = (actual: number, expected: number, tolerance: number, label = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${label} ${actual} vs ${expected}`);

describe('erf and the truncated normal', () => {
  it('match reference values of erf and erfc (scipy.special)', () => {
    const cases: Array<[number, number, number]> = [
      [0, 0, 1],
      [0.1, 0.1124629160182849, 0.8875370839817151],
      [0.5, 0.5204998778130465, 0.4795001221869535],
      [1, 0.8427007929497149, 0.15729920705028513],
      [2, 0.9953222650189527, 0.004677734981047266],
      [3, 0.9999779095030014, 2.209049699858544e-5],
      [5, 0.9999999999984626, 1.5374597944280351e-12],
      [10, 1, 2.088487583762545e-45],
    ];
    for (const [x, e, c] of cases) {
      close(erf(x), e, 1e-15, `erf(${x})`);
      close(erf(-x), -e, 1e-15, `erf(${-x})`);
      assert.ok(Math.abs(erfc(x) - c) <= 1e-13 * c + 1e-300, `erfc(${x}) ${erfc(x)} vs ${c}`);
      close(erfc(-x), 2 - c, 1e-15, `erfc(${-x})`);
    }
  });

  it('computes log Φ accurately deep in the tails (scipy.special.log_ndtr)', () => {
    close(ndtr(1.96), 0.9750021048517795, 1e-15);
    close(logNdtr(-10), -53.23128515051247, 1e-13);
    close(logNdtr(-40), -804.6084420137538, 1e-13);
    close(logNdtr(10), -7.61985302416047e-24, 1e-10);
    close(logGaussMass(-1, 1), Math.log(0.6826894921370859), 1e-14);
    close(logGaussMass(30, 31), -454.321, 1e-3, 'right tail mass stays finite');
  });

  it('inverts the truncated CDF: ppf lands inside the bounds and splits the mass at q', () => {
    for (const [a, b] of [[-1, 2], [0.5, 3], [-30, -29], [-0.1, 0.1], [2, 40]] as const) {
      for (const q of [0.01, 0.25, 0.5, 0.9, 0.999]) {
        const x = ppf(q, a, b);
        assert.ok(x >= a && x <= b, `ppf(${q}, ${a}, ${b}) = ${x}`);
        const fraction = Math.exp(logGaussMass(a, x) - logGaussMass(a, b));
        close(fraction, q, 1e-6, `mass below ppf(${q}, ${a}, ${b})`);
      }
    }
    assert.equal(ppf(0, -1, 1), -1);
  });

  it('has a log density that integrates to 1 over the truncated range', () => {
    const [loc, scale, low, high] = [0.3, 0.7, -1, 1.5];
    const a = (low - loc) / scale;
    const b = (high - loc) / scale;
    const n = 20_000;
    let integral = 0;
    for (let i = 0; i < n; i++) integral += Math.exp(truncnormLogPdf(low + ((i + 0.5) * (high - low)) / n, a, b, loc, scale)) * ((high - low) / n);
    close(integral, 1, 1e-6);
    assert.equal(truncnormLogPdf(1.6, a, b, loc, scale), -Infinity);
  });
});
