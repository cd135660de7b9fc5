/** `Float64Array.from(source, map)` as a plain loop: V8's `from` with a mapping function is many times slower, and the sampler maps thousands of values per suggestion. */
export function float64Of<T>(source: ArrayLike<T>, map: (value: T, index: number) => number): Float64Array {
  const out = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) out[i] = map(source[i]!, i);
  return out;
}
