import koffi, { type LibraryHandle } from 'koffi';
import { XGBoostError } from './errors';

/** A native pointer as koffi 3 represents it. */
export type Ptr = bigint;
/** A one-element array koffi fills in for an `_Out_` parameter. */
export type Out<T> = [T];

/** The subset of XGBoost 1.7's C API (c_api.h) this binding uses; all return 0 or -1. */
export interface XGBoostLib {
  XGBoostVersion(major: Out<number>, minor: Out<number>, patch: Out<number>): void;
  XGBGetLastError(): string;
  XGDMatrixCreateFromMat_omp(data: Float32Array, nrow: number, ncol: number, missing: number, out: Out<Ptr | null>, nthread: number): number;
  XGDMatrixFree(handle: Ptr): number;
  XGProxyDMatrixCreate(out: Out<Ptr | null>): number;
  XGDMatrixNumRow(handle: Ptr, out: Out<number>): number;
  XGDMatrixNumCol(handle: Ptr, out: Out<number>): number;
  XGDMatrixSetFloatInfo(handle: Ptr, field: string, data: Float32Array, len: number): number;
  XGDMatrixGetFloatInfo(handle: Ptr, field: string, len: Out<number>, out: Out<Ptr | null>): number;
  XGDMatrixSetStrFeatureInfo(handle: Ptr, field: string, values: string[] | null, len: number): number;
  XGDMatrixGetStrFeatureInfo(handle: Ptr, field: string, len: Out<number>, out: Out<Ptr | null>): number;
  XGDMatrixSliceDMatrixEx(handle: Ptr, idx: Int32Array, len: number, out: Out<Ptr | null>, allowGroups: number): number;
  XGBoosterCreate(dmats: Ptr[], len: number, out: Out<Ptr | null>): number;
  XGBoosterFree(handle: Ptr): number;
  XGBoosterSetParam(handle: Ptr, name: string, value: string): number;
  XGBoosterUpdateOneIter(handle: Ptr, iter: number, dtrain: Ptr): number;
  XGBoosterEvalOneIter(handle: Ptr, iter: number, dmats: Ptr[], names: string[], len: number, out: Out<string | null>): number;
  XGBoosterPredictFromDMatrix(handle: Ptr, dmat: Ptr, config: string, shape: Out<Ptr | null>, dim: Out<number>, result: Out<Ptr | null>): number;
  XGBoosterPredictFromDense(handle: Ptr, arrayInterface: string, config: string, proxy: Ptr | null, shape: Out<Ptr | null>, dim: Out<number>, result: Out<Ptr | null>): number;
  XGBoosterLoadModelFromBuffer(handle: Ptr, buf: Uint8Array, len: number): number;
  XGBoosterSaveModelToBuffer(handle: Ptr, config: string, len: Out<number>, out: Out<Ptr | null>): number;
  XGBoosterLoadModel(handle: Ptr, fname: string): number;
  XGBoosterSaveModel(handle: Ptr, fname: string): number;
  XGBoosterSaveJsonConfig(handle: Ptr, len: Out<number>, out: Out<Ptr | null>): number;
  XGBoosterLoadJsonConfig(handle: Ptr, config: string): number;
  XGBoosterGetNumFeature(handle: Ptr, out: Out<number>): number;
  XGBoosterBoostedRounds(handle: Ptr, out: Out<number>): number;
  XGBoosterSetAttr(handle: Ptr, key: string, value: string | null): number;
  XGBoosterGetAttr(handle: Ptr, key: string, out: Out<string | null>, success: Out<number>): number;
  XGBoosterSetStrFeatureInfo(handle: Ptr, field: string, values: string[] | null, len: number): number;
  XGBoosterGetStrFeatureInfo(handle: Ptr, field: string, len: Out<number>, out: Out<Ptr | null>): number;
  XGBoosterDumpModelExWithFeatures(handle: Ptr, fnum: number, fnames: string[] | null, ftypes: string[] | null, withStats: number, format: string, len: Out<number>, out: Out<Ptr | null>): number;
  XGBoosterFeatureScore(handle: Ptr, config: string, nFeatures: Out<number>, features: Out<Ptr | null>, dim: Out<number>, shape: Out<Ptr | null>, scores: Out<Ptr | null>): number;
  XGBoosterSlice(handle: Ptr, begin: number, end: number, step: number, out: Out<Ptr | null>): number;
}

// `bst_ulong` is uint64_t; koffi hands such outputs back as JS numbers, exact below 2^53.
const PROTOTYPES: Record<keyof XGBoostLib, string> = {
  XGBoostVersion: 'void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)',
  XGBGetLastError: 'const char *XGBGetLastError()',
  XGDMatrixCreateFromMat_omp: 'int XGDMatrixCreateFromMat_omp(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ void **out, int nthread)',
  XGDMatrixFree: 'int XGDMatrixFree(void *handle)',
  XGProxyDMatrixCreate: 'int XGProxyDMatrixCreate(_Out_ void **out)',
  XGDMatrixNumRow: 'int XGDMatrixNumRow(void *handle, _Out_ uint64_t *out)',
  XGDMatrixNumCol: 'int XGDMatrixNumCol(void *handle, _Out_ uint64_t *out)',
  XGDMatrixSetFloatInfo: 'int XGDMatrixSetFloatInfo(void *handle, const char *field, const float *data, uint64_t len)',
  XGDMatrixGetFloatInfo: 'int XGDMatrixGetFloatInfo(void *handle, const char *field, _Out_ uint64_t *len, _Out_ void **out)',
  XGDMatrixSetStrFeatureInfo: 'int XGDMatrixSetStrFeatureInfo(void *handle, const char *field, const char **values, uint64_t len)',
  XGDMatrixGetStrFeatureInfo: 'int XGDMatrixGetStrFeatureInfo(void *handle, const char *field, _Out_ uint64_t *len, _Out_ void **out)',
  XGDMatrixSliceDMatrixEx: 'int XGDMatrixSliceDMatrixEx(void *handle, const int *idx, uint64_t len, _Out_ void **out, int allow_groups)',
  XGBoosterCreate: 'int XGBoosterCreate(void **dmats, uint64_t len, _Out_ void **out)',
  XGBoosterFree: 'int XGBoosterFree(void *handle)',
  XGBoosterSetParam: 'int XGBoosterSetParam(void *handle, const char *name, const char *value)',
  XGBoosterUpdateOneIter: 'int XGBoosterUpdateOneIter(void *handle, int iter, void *dtrain)',
  XGBoosterEvalOneIter: 'int XGBoosterEvalOneIter(void *handle, int iter, void **dmats, const char **names, uint64_t len, _Out_ const char **out)',
  XGBoosterPredictFromDMatrix: 'int XGBoosterPredictFromDMatrix(void *handle, void *dmat, const char *config, _Out_ void **shape, _Out_ uint64_t *dim, _Out_ void **result)',
  XGBoosterPredictFromDense: 'int XGBoosterPredictFromDense(void *handle, const char *values, const char *config, void *proxy, _Out_ void **shape, _Out_ uint64_t *dim, _Out_ void **result)',
  XGBoosterLoadModelFromBuffer: 'int XGBoosterLoadModelFromBuffer(void *handle, const void *buf, uint64_t len)',
  XGBoosterSaveModelToBuffer: 'int XGBoosterSaveModelToBuffer(void *handle, const char *config, _Out_ uint64_t *len, _Out_ void **out)',
  XGBoosterLoadModel: 'int XGBoosterLoadModel(void *handle, const char *fname)',
  XGBoosterSaveModel: 'int XGBoosterSaveModel(void *handle, const char *fname)',
  XGBoosterSaveJsonConfig: 'int XGBoosterSaveJsonConfig(void *handle, _Out_ uint64_t *len, _Out_ void **out)',
  XGBoosterLoadJsonConfig: 'int XGBoosterLoadJsonConfig(void *handle, const char *config)',
  XGBoosterGetNumFeature: 'int XGBoosterGetNumFeature(void *handle, _Out_ uint64_t *out)',
  XGBoosterBoostedRounds: 'int XGBoosterBoostedRounds(void *handle, _Out_ int *out)',
  XGBoosterSetAttr: 'int XGBoosterSetAttr(void *handle, const char *key, const char *value)',
  XGBoosterGetAttr: 'int XGBoosterGetAttr(void *handle, const char *key, _Out_ const char **out, _Out_ int *success)',
  XGBoosterSetStrFeatureInfo: 'int XGBoosterSetStrFeatureInfo(void *handle, const char *field, const char **values, uint64_t len)',
  XGBoosterGetStrFeatureInfo: 'int XGBoosterGetStrFeatureInfo(void *handle, const char *field, _Out_ uint64_t *len, _Out_ void **out)',
  XGBoosterDumpModelExWithFeatures: 'int XGBoosterDumpModelExWithFeatures(void *handle, int fnum, const char **fnames, const char **ftypes, int with_stats, const char *format, _Out_ uint64_t *len, _Out_ void **out)',
  XGBoosterFeatureScore: 'int XGBoosterFeatureScore(void *handle, const char *config, _Out_ uint64_t *n_features, _Out_ void **features, _Out_ uint64_t *dim, _Out_ void **shape, _Out_ void **scores)',
  XGBoosterSlice: 'int XGBoosterSlice(void *handle, int begin, int end, int step, _Out_ void **out)',
};

/** The shared object's name; Debian's libxgboost0 installs it. */
export const LIBRARY_NAME = 'libxgboost.so.0';

let loaded: XGBoostLib | undefined;

/**
 * The XGBoost C API, loaded on first use and cached for the process (or worker thread).
 * Throws a plain Error with the install command when the library is missing.
 */
export function xgb(): XGBoostLib {
  loaded ??= openLibrary(LIBRARY_NAME);
  return loaded;
}

/** Loads an XGBoost shared object by name or path and binds the functions this binding uses. */
export function openLibrary(name: string): XGBoostLib {
  let handle: LibraryHandle;
  try {
    handle = koffi.load(name);
  } catch (cause) {
    throw new Error(
      `cannot load ${name} (XGBoost's C library): install Debian's libxgboost0 ` +
        `with "apt-get install libxgboost0" (${(cause as Error).message})`,
      { cause },
    );
  }
  const table: Partial<Record<keyof XGBoostLib, unknown>> = {};
  for (const [fn, prototype] of Object.entries(PROTOTYPES)) {
    table[fn as keyof XGBoostLib] = handle.func(prototype);
  }
  return table as XGBoostLib;
}

/**
 * Turns a C return code into an exception. XGBoost keeps its last error in a
 * thread-local, so this must run on the same thread, right after the call — which is
 * why every call here is synchronous (worker threads each load their own copy).
 */
export function check(call: string, rc: number): void {
  if (rc !== 0) throw new XGBoostError(call, xgb().XGBGetLastError() ?? '');
}

/** Copies `len` bytes at a native pointer into a fresh Buffer (XGBoost reuses its buffers). */
export function copyBytes(ptr: Ptr | null, len: number): Buffer {
  if (len === 0 || ptr === null) return Buffer.alloc(0);
  return Buffer.from(new Uint8Array(koffi.view(ptr, len)));
}

/** Copies `count` floats at a native pointer into a fresh Float32Array. */
export function copyFloats(ptr: Ptr | null, count: number): Float32Array {
  if (count === 0 || ptr === null) return new Float32Array(0);
  return new Float32Array(koffi.view(ptr, count * 4).slice(0));
}

/** Reads a native `const char **` array of `count` strings. */
export function readStrings(ptr: Ptr | null, count: number): string[] {
  if (count === 0 || ptr === null) return [];
  const pointers = koffi.decode(ptr, 'void *', count) as Ptr[];
  return Array.from(pointers, (p) => koffi.decode.string(p));
}

/** Reads a native `bst_ulong *` shape array of `dim` entries. */
export function readShape(ptr: Ptr | null, dim: number): number[] {
  if (dim === 0 || ptr === null) return [];
  return Array.from(koffi.decode(ptr, 'uint64_t', dim) as ArrayLike<bigint | number>, Number);
}
