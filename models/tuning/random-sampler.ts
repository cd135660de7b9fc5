import type { Distribution, ParamValue } from './distributions';
import { checkSeed } from './options';
import { deriveRandom } from './rng';
import type { Sampler } from './sampler';
import type { StudyView } from './study-view';
import type { Trial } from './trial';
import { sampleUniform } from './uniform';

export interface RandomSamplerOptions {
  seed: number;
}

/**
 * Independent uniform sampling; the baseline every other sampler must beat.
 *
 * @example createRandomSampler({ seed: 42 })
 */
export function createRandomSampler(options: RandomSamplerOptions): Sampler {
  const seed = checkSeed('random sampler', options.seed);
  return {
    spec: { type: 'random', seed },
    inferRelativeSearchSpace: () => ({}),
    sampleRelative: () => ({}),
    sampleIndependent(_study: StudyView, trial: Trial, name: string, distribution: Distribution): ParamValue {
      return sampleUniform(distribution, deriveRandom(seed, 'random', trial.number, name));
    },
  };
}
