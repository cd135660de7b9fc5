import { createDataActivities } from './data';
import type { ActivityDependencies } from './dependencies';
import { createEvaluationActivities } from './evaluation';
import { createFeatureActivities } from './features';
import { createMonitoringActivities } from './monitoring';
import { createRegistryActivities } from './registry';
import { createRetrainingActivities } from './retraining';
import { createTrainingActivities } from './training';
import { createTuningActivities } from './tuning';
import { createValidationActivities } from './validation';

export type { ActivityDependencies } from './dependencies';

/** Every activity the worker registers, built on one set of dependencies. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createDataActivities(deps),
    ...createValidationActivities(deps),
    ...createFeatureActivities(deps),
    ...createTrainingActivities(deps),
    ...createTuningActivities(deps),
    ...createEvaluationActivities(deps),
    ...createRegistryActivities(deps),
    ...createRetrainingActivities(deps),
    ...createMonitoringActivities(deps),
  };
}

export type KilnActivities = ReturnType<typeof createActivities>;
