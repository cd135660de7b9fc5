/**
 * The feature pipeline: declarative steps from the config, fitted on training rows only, stored as
 * JSON beside the model, and applied by the same compiled functions in training and serving.
 */
export { featuresSchema, type FeaturesConfig, type FeatureStepConfig } from './config';
export { fitFeaturePipeline, fitTrainingFeatures, type FitOptions, type TrainingFeatures } from './fit';
export { FeaturePipeline } from './pipeline';
export type { Balance, FeaturePipelineState, FeaturePipelineStateV1, FitRecord, FittedEncoder, FittedStep, InputColumn, InputKind, TargetLabels } from './state';
