import { DisposedError } from './errors';
import { check, xgb, type Ptr } from './library';

type FreeCall = 'XGDMatrixFree' | 'XGBoosterFree';

interface Held {
  free: FreeCall;
  ptr: Ptr;
}

// Backstop for objects the caller forgot to dispose: when the JS wrapper is collected,
// free the native side. Errors are swallowed because a finaliser has nobody to tell.
const registry = new FinalizationRegistry<Held>(({ free, ptr }) => {
  try {
    xgb()[free](ptr);
  } catch {
    // nothing sensible to do during garbage collection
  }
});

/**
 * Owns one native XGBoost handle: frees it exactly once (dispose or GC) and refuses
 * use afterwards, so a stale wrapper throws instead of handing a dangling pointer to C.
 */
export class NativeHandle {
  #ptr: Ptr | null;
  readonly #free: FreeCall;
  readonly #what: string;

  constructor(owner: object, ptr: Ptr, free: FreeCall, what: string) {
    this.#ptr = ptr;
    this.#free = free;
    this.#what = what;
    registry.register(owner, { free, ptr }, this);
  }

  /** The live pointer; throws `DisposedError` once disposed. */
  get ptr(): Ptr {
    if (this.#ptr === null) throw new DisposedError(this.#what);
    return this.#ptr;
  }

  get disposed(): boolean {
    return this.#ptr === null;
  }

  /** Frees the native object now; later calls are no-ops. */
  dispose(): void {
    const ptr = this.#ptr;
    if (ptr === null) return;
    this.#ptr = null;
    registry.unregister(this);
    check(this.#free, xgb()[this.#free](ptr));
  }
}
