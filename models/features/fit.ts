import type { z } from 'zod';
import { fieldPath, InputError } from '../../lib/errors';
import { atRow, compileInput, compilePipeline, emitRow, layoutOf } from './compile';
import { featuresSchema, type FeaturesConfig } from './config';
import { encoderFeatureNames, fitEncoder } from './encoders';
import { FeaturePipeline } from './pipeline';
import { resolvePlan } from './plan';
import { withoutFeatures } from './prune';
import type { RawRecord } from './raw-values';
import { selectFeatures, type Matrix } from './selection';
import { smote } from './smote';
import type { Balance, FeaturePipelineState, InputColumn, TargetLabels } from './state';
import { columnStep } from './steps';

/** The `features` section of the config as fitting takes it (defaults as in the config; `exclude` is the caller's choice of inputs). */
export type FitOptions = Omit<z.input<typeof featuresSchema>, 'exclude'>;

export interface TrainingFeatures {
  state: FeaturePipelineState;
  pipeline: FeaturePipeline;
  /**
   * The training rows' features for the booster: the pipeline's transform of each row, except that
   * target encodings are out of fold; with SMOTE, synthetic rows follow the real ones.
   */
  matrix: Matrix & { labels: Float32Array; featureNames: string[] };
  /** Booster parameters the pipeline asks for (scale_pos_weight); spread them before the configured params, so those win. */
  boosterParams: { scale_pos_weight?: number };
}

/**
 * Fits the pipeline on training rows only (the holdout and served records are transformed, never
 * fitted): parses the inputs, fits and runs the column steps in order, fits the encoders, selects
 * features, and balances the classes. Labels are read from the rows' target column.
 *
 * @example
 * const { pipeline, matrix, boosterParams } = fitTrainingFeatures(trainRows, inputs, { column: 'Churn', positive: 'Yes', negative: 'No' }, {
 *   steps: [{ type: 'impute', column: 'TotalCharges' }], imbalance: 'scale_pos_weight',
 * });
 */
export function fitTrainingFeatures(rows: readonly RawRecord[], inputs: readonly InputColumn[], target: TargetLabels, options: FitOptions = {}): TrainingFeatures {
  const config = parseFitOptions(options);
  const labels = Float32Array.from(rows, (record) => (String(record[target.column]) === target.positive ? 1 : 0));
  const plan = resolvePlan(config, inputs, target.column);

  // Every step is fitted on the columns as the steps before it left them, then run over all rows.
  const layout = layoutOf(plan.inputs, plan.steps.map(({ step }) => step));
  const frame = layout.createFrame(rows.length);
  const read = plan.inputs.map((input) => compileInput(input, layout));
  let row = 0;
  try {
    for (; row < rows.length; row++) for (const readInput of read) readInput(rows[row]!, frame, row);
  } catch (error) {
    throw atRow(error, row);
  }
  const steps = plan.steps.map(({ step, path }) => {
    const kind = columnStep(step);
    const fitted = kind.fit ? kind.fit(step, frame, layout, path) : step;
    const run = kind.compile(fitted, layout);
    for (let r = 0; r < rows.length; r++) run(frame, r);
    return fitted;
  });
  const encoded = plan.encoders.map((spec) => fitEncoder(spec, frame, layout, labels, config.seed));
  const encoders = encoded.map(({ encoder }) => encoder);
  const featureNames = encoders.flatMap(encoderFeatureNames);
  const seen = new Set<string>();
  const duplicate = featureNames.find((name) => seen.size === seen.add(name).size);
  if (duplicate !== undefined) throw new InputError(`features.steps: two features would be named "${duplicate}"; rename a column or drop a duplicate step`, { field: 'features.steps' });
  let state: FeaturePipelineState = {
    format: 'kiln.feature-pipeline',
    version: 2,
    inputs: plan.inputs,
    steps,
    encoders,
    featureNames,
    target,
  };

  // The frame already holds every row after the steps: the features are the same emit functions serving runs.
  const compiled = compilePipeline(state);
  let matrix: Matrix = { data: new Float32Array(rows.length * compiled.featureCount), rows: rows.length, cols: compiled.featureCount };
  for (let r = 0; r < rows.length; r++) emitRow(compiled, frame, r, matrix.data, r * matrix.cols);
  encoded.forEach(({ outOfFold }, i) => {
    if (!outOfFold) return;
    for (let r = 0; r < rows.length; r++) matrix.data[r * matrix.cols + compiled.offsets[i]!] = outOfFold[r]!;
  });

  const dropped = config.select ? selectFeatures(matrix, labels, featureNames, config.select, config.seed) : new Map<number, string>();
  if (dropped.size > 0) {
    state = withoutFeatures(state, new Set(dropped.keys()));
    matrix = withoutColumns(matrix, dropped);
  }

  const positives = labels.reduce((sum, y) => sum + y, 0);
  const balanced = balance(state, matrix, labels, positives, config);
  state = {
    ...state,
    fit: {
      rows: rows.length,
      positives,
      balance: balanced.balance,
      dropped: [...dropped].sort(([a], [b]) => a - b).map(([i, reason]) => ({ feature: featureNames[i]!, reason })),
    },
  };
  return {
    state,
    pipeline: new FeaturePipeline(state),
    matrix: { ...balanced.matrix, featureNames: state.featureNames },
    boosterParams: balanced.balance.method === 'scale_pos_weight' ? { scale_pos_weight: balanced.balance.scalePosWeight } : {},
  };
}

/** The fitted state alone: for callers that transform rows themselves (no out-of-fold or synthetic rows). */
export function fitFeaturePipeline(rows: readonly RawRecord[], inputs: readonly InputColumn[], target: TargetLabels, options: FitOptions = {}): FeaturePipelineState {
  return fitTrainingFeatures(rows, inputs, target, options).state;
}

function parseFitOptions(options: FitOptions): FeaturesConfig {
  const parsed = featuresSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${fieldPath(['features', ...issue.path])}: ${issue.message}`);
  throw new InputError(problems.join('\n'), { problems });
}

function withoutColumns({ data, rows, cols }: Matrix, dropped: ReadonlyMap<number, string>): Matrix {
  const kept = Array.from({ length: cols }, (_, c) => c).filter((c) => !dropped.has(c));
  const out = new Float32Array(rows * kept.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < kept.length; k++) out[r * kept.length + k] = data[r * cols + kept[k]!]!;
  return { data: out, rows, cols: kept.length };
}

function balance(state: FeaturePipelineState, matrix: Matrix, labels: Float32Array, positives: number, config: FeaturesConfig): { balance: Balance; matrix: Matrix & { labels: Float32Array } } {
  const negatives = matrix.rows - positives;
  const { imbalance } = config;
  if (imbalance.method === 'scale_pos_weight' && positives > 0 && negatives > 0) {
    return { balance: { method: 'scale_pos_weight', scalePosWeight: negatives / positives }, matrix: { ...matrix, labels } };
  }
  if (imbalance.method === 'smote') {
    const indicators = new Set(state.steps.flatMap((step) => (step.type === 'impute' && step.indicator ? [step.indicator] : [])));
    const continuous = state.encoders.flatMap((encoder) => encoderFeatureNames(encoder).map(() => encoder.type !== 'onehot' && !indicators.has(encoder.column)));
    const oversampled = smote(matrix, labels, { k: imbalance.k, seed: config.seed, continuous });
    return { balance: { method: 'smote', k: imbalance.k, syntheticRows: oversampled.syntheticRows }, matrix: oversampled };
  }
  return { balance: { method: 'none' }, matrix: { ...matrix, labels } };
}
