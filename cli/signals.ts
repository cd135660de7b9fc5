/**
 * Resolves at the first SIGINT or SIGTERM, so a command can shut down what it started, in order.
 * Later signals are ignored rather than killing the process halfway through that shutdown (Ctrl-C
 * reaches every process of a group, and `kiln serve --workers` also forwards it to its workers).
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals) => {
      if (received) return;
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
