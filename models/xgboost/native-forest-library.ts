import { join } from 'node:path';
import koffi from 'koffi';

/** Where `scripts/setup.sh` builds models/xgboost/native/forest.c. */
export const NATIVE_FOREST_LIBRARY = join(__dirname, '..', '..', '.tools', 'lib', 'libkiln-forest.so');

/** The native evaluator cannot be loaded; callers predict with libxgboost instead. */
export class NativeForestUnavailableError extends Error {
  override readonly name = 'NativeForestUnavailableError';
}

/** forest.c's entry point, as koffi binds it; returns 0, or -1 when a row block could not be allocated. */
export interface NativeForestLibrary {
  path: string;
  kiln_forest_predict(
    nodes: Int32Array, depth: number, groups: Int32Array, firstTree: number, lastTree: number, numGroups: number,
    baseMargin: number, transform: number, data: Float32Array, rows: number, cols: number, nthread: number, out: Float32Array,
  ): number;
}

const PROTOTYPE =
  'int kiln_forest_predict(const void *nodes, int32_t depth, const int32_t *groups, int32_t first_tree, int32_t last_tree, ' +
  'int32_t num_groups, float base_margin, int32_t transform, const float *data, int64_t rows, int32_t cols, int32_t nthread, float *out)';

const opened = new Map<string, NativeForestLibrary | NativeForestUnavailableError>();

/**
 * The native evaluator at `path` (default: the one setup builds), loaded once per path and thread.
 * Throws NativeForestUnavailableError, saying how to build it, when it is missing or does not load.
 */
export function nativeForestLibrary(path = NATIVE_FOREST_LIBRARY): NativeForestLibrary {
  let library = opened.get(path);
  if (library === undefined) {
    try {
      const handle = koffi.load(path);
      library = { path, kiln_forest_predict: handle.func(PROTOTYPE) };
    } catch (cause) {
      library = new NativeForestUnavailableError(`cannot load the native forest evaluator ${path} (run scripts/setup.sh, which builds it with gcc): ${(cause as Error).message}`, { cause });
    }
    opened.set(path, library);
  }
  if (library instanceof Error) throw library;
  return library;
}
