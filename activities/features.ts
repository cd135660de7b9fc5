import { Context } from '@temporalio/activity';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { createFeatureSets, type FeatureSetSource, type FeaturesReport } from './feature-sets';

export interface BuildFeaturesInput extends FeatureSetSource {
  /** The k-fold schemes later steps cross-validate with (the study's trials, the threshold rule): each fold's set is built too. */
  crossValidation: Array<{ folds: number; seed: number }>;
}

export function createFeatureActivities(deps: ActivityDependencies) {
  return withFailureMapping({
    /**
     * Fits the run's feature sets once, before anything trains on them: the set of the split's training rows
     * and one per fold of each cross-validation scheme. Sets already in the store (an earlier run on the same
     * data and config) are reused, not refitted. The trials, the final training and the baselines then find
     * every set in the store, however many workers share them.
     */
    async buildFeatures({ crossValidation, ...source }: BuildFeaturesInput): Promise<FeaturesReport> {
      const features = createFeatureSets(deps, source);
      const context = Context.current();
      await features.train();
      for (const { folds, seed } of crossValidation) {
        for (let index = 0; index < folds; index++) {
          context.heartbeat({ folds, seed, index });
          await features.fold({ folds, seed, index });
        }
      }
      return features.report();
    },
  });
}
