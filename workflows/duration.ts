const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a config duration ("90s", "30m", "6h", "1d"), the form the config schema accepts. */
export function durationMs(duration: string): number {
  const match = /^([1-9][0-9]*)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new RangeError(`not a duration like 90s, 30m, 6h or 1d: ${JSON.stringify(duration)}`);
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
