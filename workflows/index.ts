// What the worker bundles: every workflow Kiln runs.
export { trainingPipeline } from './training-pipeline';
export { tuningStudy } from './tuning-study';
export { retraining } from './retraining';
export { driftCheck } from './drift-check';
