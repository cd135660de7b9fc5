import { InputError } from '../../lib/errors';
import { createGridSampler, type GridSamplerOptions } from './grid-sampler';
import { createRandomSampler } from './random-sampler';
import type { Sampler, SamplerSpec } from './sampler';
import { createTpeSampler, type TpeSamplerOptions } from './tpe-sampler';

/**
 * Builds a sampler from its JSON spec (as `sampler.spec` gives it, or as written in a pipeline config).
 *
 * @example createSampler({ type: 'tpe', seed: 42, multivariate: true })
 */
export function createSampler(spec: SamplerSpec): Sampler {
  const { type, ...options } = spec as SamplerSpec & Record<string, unknown>;
  switch (type) {
    case 'random':
      return createRandomSampler(options as { seed: number });
    case 'grid':
      return createGridSampler(options as unknown as GridSamplerOptions);
    case 'tpe':
      return createTpeSampler(options as unknown as TpeSamplerOptions);
    default:
      throw new InputError(`sampler type must be random, grid or tpe, got ${JSON.stringify(type)}`, { type });
  }
}
