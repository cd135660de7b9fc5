import { Context } from '@temporalio/activity';
import type { FeatureSet } from '../lib/feature-set-store';
import type { TrainTestSplit } from '../models/split';
import { chooseThreshold, type ChosenThreshold, type ThresholdRule } from '../models/threshold';
import { Booster, trainInWorker, type XGBoostParams } from '../models/xgboost';
import type { ActivityDependencies } from './dependencies';
import { createFeatureSets, type FeatureSetSource, type FeaturesReport } from './feature-sets';
import { withFailureMapping } from './failures';

export interface TrainModelInput extends FeatureSetSource {
  params: XGBoostParams;
  rounds: number;
  /** How probabilities become labels (default fixed at 0.5); other rules are chosen on out-of-fold predictions. */
  threshold?: ThresholdRule;
  /** Folds and seed of those out-of-fold predictions. */
  thresholdFolds?: { folds: number; seed: number };
}

export interface TrainModelResult {
  modelKey: string;
  pipelineKey: string;
  featureCount: number;
  /** The last round's metrics on the training rows. */
  trainMetrics: Record<string, number>;
  threshold: ChosenThreshold;
  /** Whether the features were fitted or reused, and their time; absent from results recorded before features were reused. */
  features?: FeaturesReport;
}

export function createTrainingActivities(deps: ActivityDependencies) {
  return withFailureMapping({
    /**
     * Fits XGBoost on the training rows' features, and stores the booster. The features (fitted pipeline
     * and matrices) are fitted once per data, split and feature config and reused after that (see
     * feature-sets.ts); the result reports which, and the time they took.
     */
    async trainModel(input: TrainModelInput): Promise<TrainModelResult> {
      const features = createFeatureSets(deps, input);
      const context = Context.current();
      let roundsDone = 0;
      /** Fits XGBoost on a feature set's matrix. */
      const boost = ({ train, state, boosterParams }: FeatureSet) => {
        const dtrain = { ...train, featureNames: state.featureNames };
        // Boosting runs on a worker thread, so this thread keeps heartbeating (a dead worker is noticed
        // within the heartbeat timeout) and a cancelled run stops after the current round.
        return trainInWorker({
          params: { ...boosterParams, ...input.params },
          dtrain,
          rounds: input.rounds,
          evals: [['train', dtrain]],
          onRound: () => context.heartbeat({ round: ++roundsDone }),
          signal: context.cancellationSignal,
        });
      };

      const rule = input.threshold ?? { rule: 'fixed', value: 0.5 };
      const final = await features.train();
      const result = await boost(final.set);
      const threshold = rule.rule === 'fixed' ? chooseThreshold([], [], rule) : await outOfFoldThreshold();
      return {
        modelKey: deps.artifacts.put(result.model),
        pipelineKey: final.stateKey,
        featureCount: final.set.train.cols,
        trainMetrics: result.history.at(-1)?.train ?? {},
        threshold,
        features: features.report(),
      };

      /** The rule applied to predictions of each training row by a model fitted without it. */
      async function outOfFoldThreshold(): Promise<ChosenThreshold> {
        const { folds, seed } = input.thresholdFolds ?? { folds: 3, seed: 0 };
        const scored = new Map<number, { label: number; score: number }>();
        for (let index = 0; index < folds; index++) {
          const { set } = await features.fold({ folds, seed, index });
          using booster = Booster.fromBuffer((await boost(set)).model);
          const { rowIds, data, labels } = set.valid;
          const predicted = booster.inplacePredict(data, rowIds.length, set.train.cols);
          rowIds.forEach((row, i) => scored.set(row, { label: labels[i]!, score: predicted[i]! }));
        }
        // In the training rows' order, as the rule has always been given them.
        const { train } = deps.artifacts.getJson<TrainTestSplit>(input.splitKey);
        return chooseThreshold(train.map((row) => scored.get(row)!.label), train.map((row) => scored.get(row)!.score), rule);
      }
    },
  });
}
