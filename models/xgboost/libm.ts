import koffi from 'koffi';

/** The C library's single-precision `expf` and `logf`: the functions libxgboost's transforms call. */
export interface FloatMath {
  expf(x: number): number;
  logf(x: number): number;
}

let loaded: FloatMath | undefined;

/**
 * glibc's `expf` and `logf`, loaded once. `Math.exp` rounded to float32 differs from `expf` in the last bit
 * for about 1 value in 3,000, so the forest evaluator calls the same libm that libxgboost uses to get the
 * same bits (one call per output value, ≈ 0.1 µs).
 */
export function floatMath(): FloatMath {
  if (loaded === undefined) {
    const libm = koffi.load('libm.so.6');
    loaded = { expf: libm.func('float expf(float)'), logf: libm.func('float logf(float)') };
  }
  return loaded;
}
