/**
 * A failing XGBoost C call. `call` is the C function's name; `detail` is the full
 * `XGBGetLastError()` text (including XGBoost's native stack trace, which the
 * message leaves out to stay readable in logs).
 *
 * @example
 * try { booster.updateOneIter(0, dtrain); } catch (e) {
 *   if (e instanceof XGBoostError) console.error(e.call, e.message);
 * }
 */
export class XGBoostError extends Error {
  override readonly name = 'XGBoostError';
  readonly call: string;
  readonly detail: string;

  constructor(call: string, detail: string) {
    super(`${call} failed: ${summarise(detail)}`);
    this.call = call;
    this.detail = detail;
  }
}

// XGBoost appends "Stack trace:" plus addresses of native frames; useless to a reader
// and it would bloat every log line, so the message keeps only what precedes it.
function summarise(detail: string): string {
  const cut = detail.indexOf('Stack trace:');
  const text = (cut >= 0 ? detail.slice(0, cut) : detail).trim();
  return text.length > 0 ? text : '(XGBoost gave no message)';
}

/** Thrown when a native object is used after `dispose()`. */
export class DisposedError extends Error {
  override readonly name = 'DisposedError';

  constructor(what: string) {
    super(`${what} has been disposed; create a new one instead of reusing it`);
  }
}
