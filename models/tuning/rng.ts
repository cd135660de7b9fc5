import { createRandom, type Random } from '../random';

export type { Random };

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32: a stable 32-bit hash without Node's crypto. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A generator derived from the sampler's seed and a path such as (trial number, parameter name).
 *
 * Why not one long-lived generator as Optuna has: the study must give the same next suggestion after a
 * restore from JSON (Temporal continue-as-new, replay), so samplers keep no hidden generator state;
 * every draw is a pure function of (seed, trial number, what is being drawn) and the trials so far.
 *
 * @example deriveRandom(42, 7, 'eta').next()  // same number on every worker, every replay
 */
export function deriveRandom(seed: number, ...path: Array<string | number>): Random {
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  for (const part of path) h = hashString(`${typeof part}:${part}`, h);
  return createRandom(h);
}

/** Index drawn from unnormalised non-negative weights (like `rng.choice(n, p=weights)`). */
export function weightedIndex(random: Random, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  const u = random.next() * total;
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]!;
    if (u < cumulative) return i;
  }
  // Rounding can leave u just above the last cumulative sum: fall back to the last positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return weights.length - 1;
}
