/**
 * The feature pipeline: declarative steps from the config (models/features/config), fitted on training
 * rows only, stored as JSON beside the model, and applied by the same compiled functions in training
 * and serving.
 */
export { fitFeaturePipeline, fitTrainingFeatures, type FitOptions, type TrainingFeatures } from './fit';
export { FeaturePipeline } from './pipeline';
export type { FeaturePipelineState, FeaturePipelineStateV1, InputColumn, InputKind, TargetLabels } from './state';
