import { InputError } from '../../lib/errors';
import { createHyperbandPruner, type HyperbandPrunerOptions } from './hyperband-pruner';
import { createNopPruner } from './nop-pruner';
import { createMedianPruner, createPercentilePruner, type MedianPrunerOptions, type PercentilePrunerOptions } from './percentile-pruner';
import type { Pruner, PrunerSpec } from './pruner';
import { createSuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './successive-halving-pruner';

/**
 * Builds a pruner from its JSON spec (as `pruner.spec` gives it, or as written in a pipeline config).
 *
 * @example createPruner({ type: 'median', nWarmupSteps: 10 })
 */
export function createPruner(spec: PrunerSpec): Pruner {
  const { type, ...options } = spec as PrunerSpec & Record<string, unknown>;
  switch (type) {
    case 'none':
      return createNopPruner();
    case 'median':
      return createMedianPruner(options as MedianPrunerOptions);
    case 'percentile':
      return createPercentilePruner(options as unknown as PercentilePrunerOptions);
    case 'successive-halving':
      return createSuccessiveHalvingPruner(options as SuccessiveHalvingPrunerOptions);
    case 'hyperband':
      return createHyperbandPruner(options as HyperbandPrunerOptions);
    default:
      throw new InputError(`pruner type must be none, median, percentile, successive-halving or hyperband, got ${JSON.stringify(type)}`, { type });
  }
}
