/** Wall-clock timing on the monotonic high-resolution clock; `Date.now()` can jump and has 1 ms steps. */

/** The monotonic clock, in nanoseconds. */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds elapsed since `startNs` (a value of {@link nowNs}). */
export function elapsedMs(startNs: bigint): number {
  return Number(nowNs() - startNs) / 1e6;
}

/** Runs `fn` and returns how long it took, in milliseconds. */
export async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const start = nowNs();
  await fn();
  return elapsedMs(start);
}
