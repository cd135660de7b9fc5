import koffi from 'koffi';
import { check, xgb, type Out, type Ptr } from './library';
import { denseArrayInterface } from './predict-config';

// In-place prediction passes the data's address inside a JSON string, so koffi cannot pin
// it for us. V8 keeps typed arrays of at most 64 bytes inside the JS heap, where the GC
// may move them; large ones live in a fixed backing store. Small inputs are therefore
// copied into a native scratch buffer owned by this thread, big ones are used in place.
const COPY_LIMIT_BYTES = 4096;
let scratch: { ptr: bigint; view: Float32Array } | undefined;

function scratchBuffer(): { ptr: bigint; view: Float32Array } {
  if (scratch === undefined) {
    // Never freed: one small buffer per thread for the life of the thread.
    const ptr = koffi.alloc('float', COPY_LIMIT_BYTES / 4) as bigint;
    scratch = { ptr, view: new Float32Array(koffi.view(ptr, COPY_LIMIT_BYTES)) };
  }
  return scratch;
}

/**
 * The `__array_interface__` JSON for `data`, valid until the caller's next statement:
 * call the C function in the same synchronous expression and keep `data` referenced.
 */
export function arrayInterfaceFor(data: Float32Array, rows: number, cols: number): string {
  if (data.byteLength <= COPY_LIMIT_BYTES) {
    const s = scratchBuffer();
    s.view.set(data);
    return denseArrayInterface(s.ptr, rows, cols);
  }
  // Touching .buffer makes V8 move an on-heap array off-heap for good (belt and braces:
  // arrays this size are never on-heap).
  void data.buffer;
  return denseArrayInterface(koffi.address(data), rows, cols);
}

let proxy: Ptr | undefined;

/**
 * The proxy DMatrix in-place prediction fills with the caller's array. XGBoost 1.7 makes
 * a fresh proxy per call when given none, and each new proxy re-reads the cgroup CPU
 * quota files (two open/read/close rounds, tens of µs); one proxy per thread, reused for
 * the thread's life, removes that cost. It only ever points at the latest call's data.
 */
export function inplaceProxy(): Ptr {
  if (proxy === undefined) {
    const out: Out<Ptr | null> = [null];
    check('XGProxyDMatrixCreate', xgb().XGProxyDMatrixCreate(out));
    proxy = out[0] as Ptr;
  }
  return proxy;
}
