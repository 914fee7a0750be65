/**
 * Case (c): 200 live children sampled every second for a 5 s window. Each worker first measures the same window
 * with the same 200 children and no sampling (`idleCpuMs`), so the cost of sampling is a difference taken in one
 * process: `costMsPerS` = (CPU of the sampling window − CPU of the idle window) ÷ the window in seconds. The floor
 * samples by hand (every second, `/proc/<pid>/stat` of each child: CPU ticks and RSS, CPU % against the previous
 * read); rxproc subscribes `usage$(1000)` on every handle, and counts the process-table scans of the window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessHandle } from '../../../src/index.js';
import { RssSampler, settledRss } from '../../lib/memory.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement, Task, TaskParams } from '../../lib/types.js';
import { type RawChild, startRaw } from '../termination/raw-child.js';
import { cleanupRxproc, rxproc, startRxproc } from '../termination/rxproc.js';
import { USAGE } from './config.js';
import { readStat } from './proc.js';

/** Long enough to outlive the worker's setup and both windows on a slow machine. */
const CHILD_ARGS = ['120'];
/** Linux USER_HZ, as rxproc assumes too. */
const TICKS_PER_SECOND = 100;

/** A sampling session over the children, started at the beginning of the window and stopped at its end. */
interface Sampling {
  /** Stops sampling; throws when the children were not sampled as often as the window allows. */
  stop(): Readonly<Record<string, number>>;
}

interface UsageVariant<T> {
  start(): Promise<T>;
  cleanup(child: T): void;
  /** Process-table scans so far, where the variant has a table. */
  scans?(): number;
  sample(children: readonly T[], intervalMs: number, windowMs: number): Sampling;
}

/** The fewest samples per child a window of `windowMs` must give at `intervalMs` (the first needs two reads). */
function expectedSamples(intervalMs: number, windowMs: number): number {
  return Math.floor(windowMs / intervalMs) - 1;
}

function checkSamples(counts: readonly number[], expected: number): number {
  const fewest = Math.min(...counts);
  if (fewest < expected)
    throw new Error(`a child got ${fewest} usage samples, expected at least ${expected}`);
  return fewest;
}

const rawVariant: UsageVariant<RawChild> = {
  start: () => startRaw('sleep', CHILD_ARGS),
  cleanup: (child) => child.cleanup(),
  sample(children, intervalMs, windowMs) {
    const pageSize = 4096;
    const previous = new Map<number, { ticks: number; at: number }>();
    const latest = new Map<number, { cpuPercent: number; rssBytes: number }>();
    const counts = new Array<number>(children.length).fill(0);
    const tick = (): void => {
      const at = performance.now();
      children.forEach((child, i) => {
        const stat = readStat(child.pid);
        if (stat === undefined) return;
        const before = previous.get(child.pid);
        previous.set(child.pid, { ticks: stat.cpuTicks, at });
        if (before === undefined || at <= before.at) return;
        const cpuMs = ((stat.cpuTicks - before.ticks) * 1000) / TICKS_PER_SECOND;
        latest.set(child.pid, {
          cpuPercent: (cpuMs / (at - before.at)) * 100,
          rssBytes: stat.rssPages * pageSize,
        });
        counts[i] = counts[i]! + 1;
      });
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return {
      stop: () => {
        clearInterval(timer);
        return { samplesPerChild: checkSamples(counts, expectedSamples(intervalMs, windowMs)) };
      },
    };
  },
};

async function rxprocVariant(): Promise<UsageVariant<ProcessHandle>> {
  const table = (await rxproc()).currentPlatform().processTable;
  return {
    start: () => startRxproc('sleep', CHILD_ARGS),
    cleanup: cleanupRxproc,
    scans: () => table.scanCount,
    sample(children, intervalMs, windowMs) {
      const counts = new Array<number>(children.length).fill(0);
      const latest = new Array<unknown>(children.length);
      const subscriptions = children.map((proc, i) =>
        proc.usage$(intervalMs).subscribe((usage) => {
          latest[i] = usage;
          counts[i] = counts[i]! + 1;
        }),
      );
      return {
        stop: () => {
          for (const subscription of subscriptions) subscription.unsubscribe();
          return { samplesPerChild: checkSamples(counts, expectedSamples(intervalMs, windowMs)) };
        },
      };
    },
  };
}

async function measureUsage<T>(params: TaskParams, variant: UsageVariant<T>): Promise<Measurement> {
  const count = params.children ?? USAGE.children;
  const intervalMs = params.intervalMs ?? USAGE.intervalMs;
  const windowMs = params.windowMs ?? USAGE.windowMs;
  const settled = await Promise.allSettled(Array.from({ length: count }, () => variant.start()));
  const children = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const sampler = new RssSampler();
  try {
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    await sleep(params.settleMs ?? USAGE.settleMs);

    // The same window with the same children, nothing sampled; the RSS sampler runs here too, so the difference
    // between the windows is the usage sampling alone.
    await settledRss();
    const idleSampler = new RssSampler();
    idleSampler.start();
    const idleScansBefore = variant.scans?.() ?? 0;
    const idleCpuStart = process.cpuUsage();
    await sleep(windowMs);
    const idleCpu = process.cpuUsage(idleCpuStart);
    const idleScans = (variant.scans?.() ?? 0) - idleScansBefore;
    idleSampler.stop();

    const baseline = await settledRss();
    sampler.start();
    const scansBefore = variant.scans?.() ?? 0;
    const cpuStart = process.cpuUsage();
    const start = nowNs();
    const sampling = variant.sample(children, intervalMs, windowMs);
    await sleep(windowMs);
    const samplingExtras = sampling.stop();
    const timeMs = elapsedMs(start);
    const cpu = process.cpuUsage(cpuStart);
    const scans = (variant.scans?.() ?? 0) - scansBefore;
    const rssGrowthBytes = sampler.stop() - baseline;

    const cpuMs = (cpu.user + cpu.system) / 1000;
    const idleCpuMs = (idleCpu.user + idleCpu.system) / 1000;
    const table: Record<string, number> = variant.scans === undefined ? {} : { scans, idleScans };
    return {
      timeMs,
      rssGrowthBytes,
      extras: {
        cpuMs,
        idleCpuMs,
        costMsPerS: (cpuMs - idleCpuMs) / (windowMs / 1000),
        ...table,
        ...samplingExtras,
      },
    };
  } finally {
    sampler.stop();
    for (const child of children) variant.cleanup(child);
  }
}

export const usageTasks: Record<string, Task> = {
  usageRaw: (params) => measureUsage(params, rawVariant),
  usageRxproc: async (params) => measureUsage(params, await rxprocVariant()),
};
