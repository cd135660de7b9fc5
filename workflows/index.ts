// What the worker bundles: every workflow Kiln runs.
export { trainingPipeline } from './training-pipeline';
