import { toExternal, type Distribution, type ParamValue } from './distributions';
import type { Random } from './rng';

/**
 * One uniform draw over a distribution, as Optuna's `RandomSampler` (through `_SearchSpaceTransform`):
 * uniform on [low, high] (in log space for log ranges), widened by half a step on each side for discrete
 * ranges so the end values are as likely as the others, then snapped to the grid.
 */
export function sampleUniform(distribution: Distribution, random: Random): ParamValue {
  if (distribution.type === 'categorical') return distribution.choices[random.int(distribution.choices.length)]!;
  const half = distribution.step === null ? 0 : distribution.step / 2;
  let low = distribution.low - half;
  let high = distribution.high + half;
  if (distribution.log) {
    low = Math.log(low);
    high = Math.log(high);
  }
  const u = low + random.next() * (high - low);
  return toExternal(distribution, distribution.log ? Math.exp(u) : u);
}
