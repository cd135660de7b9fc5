/**
 * L2-regularised logistic regression fitted by Newton's method on standardised features — the
 * baseline a gradient-boosted model must beat to be worth its complexity. Missing values (NaN) take the
 * training mean, i.e. 0 after standardisation. The penalty matches scikit-learn's default C = 1.
 */
export interface LogisticRegressionModel {
  means: Float64Array;
  scales: Float64Array;
  /** Intercept first, then one weight per feature. */
  weights: Float64Array;
}

export interface LogisticRegressionOptions {
  /** Inverse regularisation strength. Default 1. */
  c?: number;
  maxIterations?: number;
}

export function fitLogisticRegression(data: Float32Array, rows: number, cols: number, labels: ArrayLike<number>, { c = 1, maxIterations = 50 }: LogisticRegressionOptions = {}): LogisticRegressionModel {
  const { means, scales } = standardisation(data, rows, cols);
  const x = standardise(data, rows, cols, means, scales);
  const p = cols + 1;
  const w = new Float64Array(p);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gradient = new Float64Array(p);
    const hessian = new Float64Array(p * p);
    const row = new Float64Array(p);
    for (let i = 0; i < rows; i++) {
      row[0] = 1;
      for (let j = 0; j < cols; j++) row[j + 1] = x[i * cols + j]!;
      let z = 0;
      for (let j = 0; j < p; j++) z += row[j]! * w[j]!;
      const prob = 1 / (1 + Math.exp(-z));
      const residual = prob - labels[i]!;
      const curvature = prob * (1 - prob);
      for (let j = 0; j < p; j++) {
        gradient[j]! += residual * row[j]!;
        const scaled = curvature * row[j]!;
        for (let k = 0; k <= j; k++) hessian[j * p + k]! += scaled * row[k]!;
      }
    }
    for (let j = 1; j < p; j++) {
      gradient[j]! += w[j]! / c;
      hessian[j * p + j]! += 1 / c;
    }
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) hessian[j * p + k] = hessian[k * p + j]!;
    const step = solveSymmetric(hessian, gradient, p);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      w[j]! -= step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < 1e-8) break;
  }
  return { means, scales, weights: w };
}

export function predictLogisticRegression(model: LogisticRegressionModel, data: Float32Array, rows: number, cols: number): Float64Array {
  const x = standardise(data, rows, cols, model.means, model.scales);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = model.weights[0]!;
    for (let j = 0; j < cols; j++) z += model.weights[j + 1]! * x[i * cols + j]!;
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return out;
}

function standardisation(data: Float32Array, rows: number, cols: number) {
  const means = new Float64Array(cols);
  const scales = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    let sumSquares = 0;
    let count = 0;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j]!;
      if (Number.isNaN(v)) continue;
      sum += v;
      sumSquares += v * v;
      count++;
    }
    const mean = count ? sum / count : 0;
    means[j] = mean;
    const variance = count ? sumSquares / count - mean * mean : 0;
    // A constant column carries no information; a unit scale keeps it harmless.
    scales[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { means, scales };
}

function standardise(data: Float32Array, rows: number, cols: number, means: Float64Array, scales: Float64Array): Float64Array {
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j]!;
      x[i * cols + j] = Number.isNaN(v) ? 0 : (v - means[j]!) / scales[j]!;
    }
  }
  return x;
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= l[j * n + k]! ** 2;
    const root = Math.sqrt(Math.max(diagonal, 1e-12));
    l[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / root;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}
