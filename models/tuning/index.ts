// Optuna-style hyper-parameter search, pure and deterministic: safe to import in Temporal workflows.
export {
  categoricalDistribution, contains, describe, discreteValues, distributionFromJSON, floatDistribution, intDistribution, isSingle, toExternal, toInternal,
  type CategoricalChoice, type CategoricalDistribution, type Distribution, type FloatDistribution, type FloatDistributionOptions,
  type IntDistribution, type IntDistributionOptions, type ParamValue, type Params,
} from './distributions';
export { isActive, paramProblems, paramsWithin, parseSearchSpace, searchSpaceOf, searchSpaceToJSON, type ParamSpec, type SearchSpace } from './search-space';
export { finishedStates, lastStep, trialFromJSON, trialStates, trialToJSON, type Direction, type Trial, type TrialJson, type TrialState } from './trial';
export type { NewTrial, TrialPatch, TrialStore, TrialStoreSnapshot } from './trial-store';
export { createMemoryTrialStore } from './memory-trial-store';
export type { StudyView } from './study-view';
export { createStudy, restoreStudy, type EnqueueOptions, type Study, type StudyOptions, type StudySnapshot, type TellInput } from './study';
export { budgetStop, type BudgetState, type StopReason, type StudyBudget } from './study-budget';
export type { Sampler, SamplerSpec } from './sampler';
export { createSampler } from './samplers';
export { createRandomSampler, type RandomSamplerOptions } from './random-sampler';
export { createGridSampler, type GridSamplerOptions } from './grid-sampler';
export { createTpeSampler, defaultGamma, type TpeSamplerOptions } from './tpe-sampler';
export { defaultWeights } from './parzen-estimator';
export type { Pruner, PrunerSpec } from './pruner';
export { createPruner } from './pruners';
export { createNopPruner } from './nop-pruner';
export { createMedianPruner, createPercentilePruner, type MedianPrunerOptions, type PercentilePrunerOptions } from './percentile-pruner';
export { createSuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './successive-halving-pruner';
export { createHyperbandPruner, type HyperbandPrunerOptions } from './hyperband-pruner';
export { deriveRandom } from './rng';
export { decodeNumber, encodeNumber, type JsonNumber, type JsonValue } from './json';
