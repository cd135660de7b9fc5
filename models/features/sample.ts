import type { Random } from '../random';

/** Up to `limit` distinct indices of `0…count − 1`, uniformly drawn, ascending; all of them when there are no more. */
export function sampleIndices(count: number, limit: number, random: Random): Int32Array {
  const all = Int32Array.from({ length: count }, (_, i) => i);
  if (count <= limit) return all;
  // A partial Fisher–Yates shuffle: the first `limit` slots are a uniform sample.
  for (let i = 0; i < limit; i++) {
    const j = i + random.int(count - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.subarray(0, limit).sort();
}
