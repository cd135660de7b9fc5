export { connectDatabase, databaseEngine, parseDatabaseUrl, type DatabaseTarget } from './connect';
export { migrateToLatest, migrationConfig, migrations, type KilnMigration } from './migrate';
export {
  createRegistry,
  type PromoteInput,
  type PromoteResult,
  type RegisterModelVersionInput,
  type Registry,
  type RollbackInput,
  type RollbackResult,
  type UpsertDatasetInput,
  type UpsertDatasetResult,
} from './registry';
export { stages, type ArtifactChecksum, type Dataset, type ModelSummary, type ModelVersion, type Stage, type StageTransition } from './registry-rows';
export { runOutcomes, runStatuses, type FinishRunInput, type ListRunsOptions, type PipelineRun, type RunOutcome, type RunStatus, type StartRunInput } from './pipeline-runs';
export type { LineageStudy, ModelLineage } from './lineage';
export { createDatasetValidations, type DatasetValidation, type DatasetValidationRecord, type DatasetValidations } from './dataset-validations';
export { createDriftReports, type DriftCheckRecord, type DriftReports, type StoredDriftCheck } from './drift-reports';
export { createPredictionLog, requestLogRows, type FeedbackInput, type PredictionLog, type PredictionRecord, type RequestLog } from './prediction-log';
export { createStudyStore, type BestTrialsOfPreviousStudy, type ListStudiesOptions, type SaveStudyInput, type StudyStore } from './study-store';
export { openDatabaseTrialStore, type DatabaseTrialStore } from './study-trial-store';
export { studyStates, type StudyHeader, type StudyRecord, type StudyState, type StudySummary } from './study-rows';
