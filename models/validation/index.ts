export { validationRulesSchema, parseValidationRules, type ValidationRules, type ValidationRulesInput, type ColumnRule } from './rules';
export { validateDataset, type ValidateDatasetInput, type ValidationReport } from './validate';
export { formatReport } from './format';
export {
  profileDataset,
  PROFILE_QUANTILES,
  HISTOGRAM_BINS,
  TOP_CATEGORIES,
  type DatasetProfile,
  type ColumnProfile,
  type NumberColumnProfile,
  type StringColumnProfile,
} from './profile';
export type { Finding, Severity } from './findings';
export type { SchemaColumn, DataType } from './columns';
export type { TargetSpec } from './target';
export { parseIsoDate } from './dates';
export { binaryAuc } from './auc';
