import type { BinaryMetrics } from './metrics';
import type { DatasetProfile } from './validation';

/** A raw input column's weight in the model: mean |SHAP| over the holdout rows, in log-odds. */
export interface FeatureWeight {
  column: string;
  meanAbsShap: number;
}

/** Everything a model card says; all of it known when the version is registered. */
export interface ModelCardInput {
  modelName: string;
  version: number;
  /** ISO 8601: when the version was registered. */
  createdAt: string;
  /** The pipeline config's `description`. */
  description?: string;
  target: { column: string; positive: string };
  /** Probability at and above which the model predicts `target.positive`. */
  threshold: number;
  data: {
    datasetId: string;
    rows: number;
    trainRows: number;
    testRows: number;
    /** Rows of the positive class in the whole dataset. */
    positives: number;
    profile?: DatasetProfile;
    /** The raw columns the model reads; the profile's other columns are the target or excluded. */
    inputColumns: string[];
  };
  /** Holdout metrics of this version at its threshold, with 95% bootstrap intervals where computed. */
  metrics: BinaryMetrics;
  intervals: Partial<Record<keyof BinaryMetrics, [number, number]>>;
  baselines: Record<string, BinaryMetrics>;
  /** The production version when this one was registered, scored on the same holdout rows. */
  production?: { version: number; metrics: BinaryMetrics };
  /** Largest first. */
  features: FeatureWeight[];
  /** How many holdout rows the SHAP values were averaged over. */
  shapRows: number;
  /** Validation warnings (messages), kept in the dataset's report. */
  warnings: string[];
  lineage: {
    workflowId: string;
    runId: string;
    codeVersion: string;
    params: Record<string, unknown>;
    study?: { name: string; bestTrialNumber: number | null; bestValue: number | null };
  };
}

/** Fewer rows than this is "small data": estimates are noisy, say so. */
export const SMALL_DATA_ROWS = 1000;
/** A minority class below this share of rows is called imbalanced. */
export const IMBALANCE_SHARE = 0.2;
/** How many input columns the card ranks. */
export const TOP_FEATURES = 10;

const metricOrder: Array<keyof BinaryMetrics> = ['roc_auc', 'pr_auc', 'log_loss', 'accuracy', 'f1', 'precision', 'recall'];

/**
 * The Markdown model card of one version: intended use, data and its profile, holdout metrics with
 * intervals, baselines and production on the same rows, top input columns by mean |SHAP|, limitations,
 * lineage. Pure: the same input gives the same text, so a retried activity stores the same artifact.
 *
 * @example renderModelCard(input).split('\n')[0] // '# telco-churn, version 3'
 */
export function renderModelCard(input: ModelCardInput): string {
  return [
    `# ${input.modelName}, version ${input.version}`,
    '',
    `Registered ${input.createdAt} by run \`${input.lineage.runId}\` of workflow \`${input.lineage.workflowId}\`.`,
    '',
    ...intendedUse(input),
    ...dataSection(input),
    ...metricsSection(input),
    ...featuresSection(input),
    ...limitations(input),
    ...lineageSection(input),
  ].join('\n');
}

function intendedUse({ description, target, threshold, data }: ModelCardInput): string[] {
  return [
    '## Intended use',
    '',
    ...(description ? [description, ''] : []),
    `Scores a record of the ${data.inputColumns.length} input columns below with the probability that \`${target.column}\` is \`${target.positive}\`, ` +
      `and predicts \`${target.positive}\` at a probability of ${fixed(threshold)} or more. ` +
      'Use it for records like the training data; it was not checked on other populations.',
    '',
  ];
}

function dataSection({ data, target }: ModelCardInput): string[] {
  const positiveShare = share(data.positives, data.rows);
  const lines = [
    '## Data',
    '',
    `Dataset \`${data.datasetId}\`: ${data.rows} rows, ${data.trainRows} for training and ${data.testRows} held out (stratified). ` +
      `Class balance: ${data.positives} \`${target.positive}\` (${percent(positiveShare)}), ${data.rows - data.positives} other (${percent(1 - positiveShare)}).`,
    '',
  ];
  if (!data.profile) return lines;
  const inputs = new Set(data.inputColumns);
  const rows = data.profile.columns.map((column) => {
    const role = column.name === target.column ? 'target' : inputs.has(column.name) ? 'input' : 'not used';
    const summary =
      column.type === 'number'
        ? column.mean === null
          ? 'no values'
          : `mean ${round(column.mean)}, range ${round(column.quantiles[0]!.value)}–${round(column.quantiles[column.quantiles.length - 1]!.value)}`
        : column.distinct === column.rows - column.missing
          ? 'every value distinct'
          : `${column.distinct} distinct${column.top[0] ? `, most often "${column.top[0].value}" (${percent(column.top[0].share)})` : ''}`;
    return [column.name, column.type, role, percent(column.missingShare), summary];
  });
  return [...lines, markdownTable(['column', 'type', 'role', 'missing', 'profile'], rows), ''];
}

function metricsSection({ metrics, intervals, baselines, production }: ModelCardInput): string[] {
  const baselineNames = Object.keys(baselines).sort();
  const header = ['metric', 'this version', '95% CI', ...(production ? [`production (v${production.version})`] : []), ...baselineNames.map((name) => name.replace(/_/g, ' '))];
  const rows = metricOrder.map((name) => {
    const interval = intervals[name];
    return [
      name,
      fixed(metrics[name]),
      interval ? `${fixed(interval[0])}–${fixed(interval[1])}` : '',
      ...(production ? [fixed(production.metrics[name])] : []),
      ...baselineNames.map((baseline) => fixed(baselines[baseline]![name])),
    ];
  });
  return [
    '## Metrics',
    '',
    `On the holdout rows. Baselines are fitted on the same training rows and features${production ? '; production is scored on the same holdout rows' : ''}. ` +
      'Intervals are 95% bootstrap intervals.',
    '',
    markdownTable(header, rows),
    '',
  ];
}

function featuresSection({ features, shapRows }: ModelCardInput): string[] {
  if (features.length === 0) return [];
  const top = features.slice(0, TOP_FEATURES);
  return [
    '## Top features',
    '',
    `Mean |SHAP| over ${shapRows} holdout rows, in log-odds: how far a column moves a score on average, its one-hot levels summed into it.`,
    '',
    markdownTable(['rank', 'column', 'mean |SHAP|'], top.map((feature, i) => [String(i + 1), feature.column, fixed(feature.meanAbsShap)])),
    '',
  ];
}

function limitations({ data, warnings, intervals }: ModelCardInput): string[] {
  const notes: string[] = [];
  const minority = Math.min(data.positives, data.rows - data.positives);
  if (data.rows > 0 && minority / data.rows < IMBALANCE_SHARE) {
    notes.push(
      `Imbalanced classes: the rarer class is ${percent(minority / data.rows)} of the rows; accuracy says little, read precision and recall at the threshold.`,
    );
  }
  if (data.rows < SMALL_DATA_ROWS) notes.push(`Small data: ${data.rows} rows (under ${SMALL_DATA_ROWS}); metrics on ${data.testRows} holdout rows are noisy.`);
  const auc = intervals.roc_auc;
  if (auc && auc[1] - auc[0] > 0.05) notes.push(`The ROC-AUC interval is ${fixed(auc[1] - auc[0])} wide: differences smaller than that between versions may be chance.`);
  for (const warning of warnings) notes.push(`Validation warning: ${warning}`);
  notes.push(`Trained on one snapshot, \`${data.datasetId}\`: records unlike it (unseen categories, shifted ranges) are scored with less certainty.`);
  return ['## Limitations', '', ...notes.map((note) => `- ${note}`), ''];
}

function lineageSection({ data, lineage }: ModelCardInput): string[] {
  const params = Object.keys(lineage.params)
    .sort()
    .map((key) => `${key}=${JSON.stringify(lineage.params[key])}`)
    .join(', ');
  const study = lineage.study
    ? [`- tuning study: \`${lineage.study.name}\`, best trial ${lineage.study.bestTrialNumber ?? '–'} (value ${lineage.study.bestValue === null ? '–' : fixed(lineage.study.bestValue)})`]
    : [];
  return [
    '## Lineage',
    '',
    `- dataset: \`${data.datasetId}\``,
    `- workflow: \`${lineage.workflowId}\`, run \`${lineage.runId}\` (\`kiln models show\` prints its Temporal Web UI link)`,
    `- code version: \`${lineage.codeVersion}\``,
    `- params: ${params}`,
    ...study,
    '',
  ];
}

/** A Markdown table; `|` inside a cell is escaped so a category value cannot break the row. */
function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function fixed(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(4);
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}
