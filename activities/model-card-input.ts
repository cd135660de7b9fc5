import type { ModelLineage } from '../db';
import { readVerified } from '../lib/artifact-checksum';
import type { ArtifactStore } from '../lib/artifact-store';
import type { FeaturePipelineState } from '../models/features/feature-pipeline';
import type { RawRecord } from '../models/features/raw-values';
import type { FeatureWeight, ModelCardInput } from '../models/model-card';
import { ScoringModel } from '../models/scoring-model';
import type { TrainTestSplit } from '../models/split';
import type { ValidationReport } from '../models/validation';
import type { EvaluateModelResult } from './evaluation';
import type { TargetSpec } from './labelled-data';

/** Holdout rows explained for the card at most: TreeSHAP's cost grows with rows, and the ranking settles long before. */
export const MAX_SHAP_ROWS = 2000;

export interface ModelCardSources {
  lineage: ModelLineage;
  description?: string;
  target: TargetSpec;
  records: RawRecord[];
  labels: Float32Array;
  split: TrainTestSplit;
  report: ValidationReport;
  evaluation: Pick<EvaluateModelResult, 'metrics' | 'intervals' | 'baselines' | 'production'>;
}

/** Gathers a version's card from its lineage, data, validation report and evaluation; scores the holdout for SHAP. */
export function modelCardInput(artifacts: ArtifactStore, sources: ModelCardSources): ModelCardInput {
  const { lineage, split, labels } = sources;
  const { version } = lineage;
  using model = ScoringModel.fromBytes(
    readVerified(artifacts, version.modelKey, version.modelChecksum),
    JSON.parse(readVerified(artifacts, version.pipelineKey, version.pipelineChecksum).toString('utf8')) as FeaturePipelineState,
  );
  const holdout = evenlySpaced(split.test, MAX_SHAP_ROWS).map((row) => sources.records[row]!);
  return {
    modelName: version.modelName,
    version: version.version,
    createdAt: version.createdAt,
    description: sources.description,
    target: sources.target,
    threshold: version.metrics.threshold ?? 0.5,
    data: {
      datasetId: lineage.dataset.id,
      rows: labels.length,
      trainRows: split.train.length,
      testRows: split.test.length,
      positives: labels.reduce((sum, y) => sum + y, 0),
      profile: sources.report.profile,
      inputColumns: model.pipeline.inputs.map((input) => input.name),
    },
    metrics: sources.evaluation.metrics,
    intervals: sources.evaluation.intervals,
    baselines: sources.evaluation.baselines,
    production: sources.evaluation.production,
    features: meanAbsShapByColumn(model, holdout),
    shapRows: holdout.length,
    warnings: sources.report.findings.filter((finding) => finding.severity === 'warning').map((finding) => finding.message),
    lineage: {
      workflowId: version.workflowId,
      runId: version.runId,
      codeVersion: version.codeVersion ?? 'unknown',
      params: version.params,
      study: lineage.study,
    },
  };
}

/**
 * Mean |SHAP| of each raw input column over `records`: the column's contributions (its one-hot levels
 * summed, as `ScoringModel.explain` gives them) taken absolute per record, then averaged. Largest first.
 */
export function meanAbsShapByColumn(model: ScoringModel, records: RawRecord[]): FeatureWeight[] {
  const columns = model.pipeline.inputs.length;
  if (records.length === 0 || columns === 0) return [];
  const totals = new Map<string, number>();
  for (const { contributions } of model.explain(records, columns)) {
    for (const { column, contribution } of contributions) totals.set(column, (totals.get(column) ?? 0) + Math.abs(contribution));
  }
  return [...totals]
    .map(([column, total]) => ({ column, meanAbsShap: total / records.length }))
    .sort((a, b) => b.meanAbsShap - a.meanAbsShap || (a.column < b.column ? -1 : 1));
}

/** At most `limit` items spread evenly over `items`, in order; all of them when there are few. */
function evenlySpaced<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]!);
}
