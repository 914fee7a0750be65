/** One measured run after an untimed warm-up, for suites whose unit of work is not a spawn loop. */
import { RssSampler, settledRss } from './memory.js';
import { elapsedMs, nowNs } from './timing.js';
import type { Measurement } from './types.js';

/** What a measured body may report: its own timed total (else the wall time of the body) and extra figures. */
export interface RunOutcome {
  readonly timeMs?: number;
  readonly extras?: Readonly<Record<string, number>>;
}

/**
 * Runs `warmup` (untimed), settles the heap, then times `body` while sampling the peak RSS. A body that times
 * only part of its work (per-operation timing, setup excluded) returns that sum as `timeMs`. The worker's own CPU
 * time over the body (user + system) is added as the extra `cpuMs`: on a shared machine it is steadier than the
 * wall time, which also waits for the child and for other people's processes.
 */
export async function measureRun(
  warmup: () => Promise<unknown>,
  body: () => Promise<RunOutcome | undefined>,
): Promise<Measurement> {
  await warmup();
  const baseline = await settledRss();
  const sampler = new RssSampler();
  sampler.start();
  const cpuStart = process.cpuUsage();
  const start = nowNs();
  try {
    const outcome = await body();
    const wallMs = elapsedMs(start);
    const cpu = process.cpuUsage(cpuStart);
    const rssGrowthBytes = sampler.stop() - baseline;
    const timeMs = outcome?.timeMs ?? wallMs;
    return { timeMs, rssGrowthBytes, extras: { cpuMs: (cpu.user + cpu.system) / 1000, ...outcome?.extras } };
  } finally {
    sampler.stop(); // the timer must go even when the body failed, or the worker would never exit
  }
}

/** Throws when a count differs from what the input must give: a wrong count fails the variant. */
export function expectCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: counted ${actual}, expected ${expected}`);
}
