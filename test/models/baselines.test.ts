import assert from 'node:assert/strict';
import { fitLogisticRegression, predictLogisticRegression } from '../../models/baselines/logistic-regression';
import { bootstrapInterval } from '../../models/bootstrap';
import { rocAuc } from '../../models/metrics';
import { createRandom } from '../../models/random';

function gaussian(random: ReturnType<typeof createRandom>): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

describe('logistic regression baseline', () => {
  const random = createRandom(3);
  const rows = 4000;
  const truth = [-0.5, 1.5, -2, 0];
  const data = new Float32Array(rows * 3);
  const labels = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = truth[0]!;
    for (let j = 0; j < 3; j++) {
      data[i * 3 + j] = gaussian(random);
      z += truth[j + 1]! * data[i * 3 + j]!;
    }
    labels[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }

  it('recovers the generating coefficients (features are already standard)', () => {
    const model = fitLogisticRegression(data, rows, 3, labels);
    for (let j = 0; j < 4; j++) assert.ok(Math.abs(model.weights[j]! - truth[j]!) < 0.15, `weight ${j}: ${model.weights[j]} vs ${truth[j]}`);
  });

  it('reaches the optimum: the penalised gradient vanishes', () => {
    const model = fitLogisticRegression(data, rows, 3, labels, { c: 0.5 });
    const probabilities = predictLogisticRegression(model, data, rows, 3);
    for (let j = 0; j < 3; j++) {
      let gradient = model.weights[j + 1]! / 0.5;
      for (let i = 0; i < rows; i++) gradient += (probabilities[i]! - labels[i]!) * ((data[i * 3 + j]! - model.means[j]!) / model.scales[j]!);
      assert.ok(Math.abs(gradient) < 1e-6, `gradient ${j}: ${gradient}`);
    }
  });

  it('treats missing values as the training mean', () => {
    const model = fitLogisticRegression(data, rows, 3, labels);
    const [withNaN] = predictLogisticRegression(model, new Float32Array([NaN, 0, 0]), 1, 3);
    const [withMean] = predictLogisticRegression(model, new Float32Array([model.means[0]!, 0, 0]), 1, 3);
    assert.ok(Math.abs(withNaN! - withMean!) < 1e-6);
  });
});

describe('bootstrapInterval', () => {
  it('brackets the point estimate, narrows with more data, and is reproducible', () => {
    const random = createRandom(5);
    const make = (n: number) => {
      const labels = Array.from({ length: n }, () => (random.next() < 0.3 ? 1 : 0));
      return { labels, scores: labels.map((y) => y * 0.5 + random.next()) };
    };
    const small = make(200);
    const large = make(5000);
    const [lo, hi] = bootstrapInterval(small.labels, small.scores, rocAuc, { seed: 1 });
    const auc = rocAuc(small.labels, small.scores);
    assert.ok(lo < auc && auc < hi, `${lo} < ${auc} < ${hi}`);
    const [lo2, hi2] = bootstrapInterval(large.labels, large.scores, rocAuc, { seed: 1 });
    assert.ok(hi2 - lo2 < hi - lo);
    assert.deepEqual(bootstrapInterval(small.labels, small.scores, rocAuc, { seed: 1 }), [lo, hi]);
  });
});
