/**
 * Sizes and inputs of the streams suite. Every variant spawns its child with rxproc's own stdio setup (detached,
 * stdin ignored, stdout and stderr piped), so the ratios show the cost of reading, not of a cheaper spawn.
 */
export { RAW_OPTIONS } from '../spawn/config.js';

export const GIB = 2 ** 30;
export const MIB = 2 ** 20;

/** `head -c <bytes> /dev/zero`: a byte stream at pipe speed, without a newline. */
export function zeroArgs(bytes: number): string[] {
  return ['-c', String(bytes), '/dev/zero'];
}

/** `seq 1 <count>`: `count` short lines. */
export function seqArgs(count: number): string[] {
  return ['1', String(count)];
}

/** Characters of `seq 1 n` without the newlines: every number's digit count, summed. */
export function seqChars(count: number): number {
  let total = 0;
  for (let digits = 1, low = 1; low <= count; digits += 1, low *= 10) {
    total += (Math.min(count, low * 10 - 1) - low + 1) * digits;
  }
  return total;
}

/** Case (a): 1 GiB through `chunks$` and `'data'`. */
export const THROUGHPUT = { bytes: GIB, warmupBytes: 16 * MIB } as const;
/** Case (b): `seq 1 10000000` through `lines$` and its peers. */
export const PUSH_LINES = { count: 10_000_000, warmupCount: 200_000 } as const;
/** Case (c): `seq` through `lines()` and execa's line iteration; the same N for every variant. */
export const PULL_LINES = { count: 2_000_000, warmupCount: 100_000 } as const;
/**
 * Case (d): 1 GiB through a consumer that sleeps `pauseMs` after every `pauseEveryBytes` it took, so it reads at
 * most ~250 MB/s while the pipe delivers ~500 MB/s: a reliable consumer must hold the child back, a lossy one drop.
 */
export const SLOW = { bytes: GIB, warmupBytes: 16 * MIB, pauseEveryBytes: 256 * 1024, pauseMs: 1 } as const;

export const RAW_CONFIG =
  "child_process.spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })";
export const RXPROC_CONFIG =
  'rxproc spawn(cmd, args) with stream defaults (replay lastBytes 65536, chunkSize 16384, bufferDepth 128)';
