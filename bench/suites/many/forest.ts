/**
 * Many trees at once: planting a forest of `sh` trees (all members confirmed running, untimed), and the measured
 * run of ending it, with the longest event-loop delay during the termination as a per-run figure.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessHandle } from '../../../src/index.js';
import { measureRun } from '../../lib/single-run.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement, TaskParams } from '../../lib/types.js';
import { killQuietly } from '../termination/harness.js';
import { type RawChild, startRaw } from '../termination/raw-child.js';
import { cleanupRxproc, startRxproc } from '../termination/rxproc.js';
import { FOREST, TREE_CHILDREN } from './config.js';
import { type TreePids, allGone, awaitForest, checkForestGone } from './proc.js';

/** Trees started and confirmed running; `members[i]` leads `trees[i]`. */
export interface Forest<T> {
  readonly members: readonly T[];
  readonly trees: readonly TreePids[];
  /** Best-effort SIGKILL of every tree that may still have a live member; never throws. */
  cleanup(): void;
}

/** What a variant's timed termination leaves for the untimed part: its checks (which throw), and extra figures. */
export type Settle = () => Readonly<Record<string, number>> | undefined;

export interface ForestVariant<T> {
  plant(count: number): Promise<Forest<T>>;
  /** The timed part: ends every tree of the forest. */
  terminate(forest: Forest<T>): Promise<Settle>;
}

/** Event-loop delay histogram resolution, as the issue asks: a delay is only seen to this granularity. */
const LOOP_DELAY_RESOLUTION_MS = 10;
/** Untimed idle time before and after the timed part, so the histogram sees the edges of the termination. */
const MONITOR_LEAD_MS = 2.5 * LOOP_DELAY_RESOLUTION_MS;

/**
 * Starts `count` children with `start` all at once (one synchronous loop, as an application fanning out does),
 * then waits until every one of them runs and has its {@link TREE_CHILDREN} background `sleep`s.
 */
async function plant<T>(
  count: number,
  start: () => Promise<T>,
  pidOf: (member: T) => number,
  cleanupMember: (member: T) => void,
): Promise<Forest<T>> {
  const settled = await Promise.allSettled(Array.from({ length: count }, start));
  const members = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const leaders = members.map(pidOf);
  const cleanup = (trees: readonly TreePids[]): void => {
    for (const member of members) cleanupMember(member);
    // A member can outlive its leader; while one is left, the group's number is still reserved for it.
    for (const tree of trees) if (!allGone(tree.pids)) killQuietly(-tree.leader);
  };
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    cleanup([]);
    throw failed.reason;
  }
  let trees: TreePids[];
  try {
    trees = await awaitForest(leaders, 'sleep', TREE_CHILDREN);
  } catch (error) {
    cleanup([]);
    throw error;
  }
  return { members, trees, cleanup: () => cleanup(trees) };
}

export function plantRaw(count: number, script: string): Promise<Forest<RawChild>> {
  return plant(
    count,
    () => startRaw('sh', ['-c', script]),
    (child) => child.pid,
    (child) => child.cleanup(),
  );
}

export function plantRxproc(count: number, script: string): Promise<Forest<ProcessHandle>> {
  return plant(
    count,
    () => startRxproc('sh', ['-c', script]),
    (proc) => proc.pid!,
    cleanupRxproc,
  );
}

/**
 * An untimed warm-up forest (planted and ended the same way), then the measured forest: planted untimed, its
 * termination timed with the worker's CPU, the peak RSS and the longest event-loop delay (`maxLoopDelayMs`,
 * from `monitorEventLoopDelay({ resolution: 10 })`: the longest gap between two of its 10 ms ticks, so it
 * includes up to one resolution on top of the longest blocking stretch; the worker's CPU and RSS also cover the
 * 2 × 25 ms idle lead the histogram needs around the termination). Every member is checked gone afterwards.
 */
export async function measureForest<T>(params: TaskParams, variant: ForestVariant<T>): Promise<Measurement> {
  const planted: Forest<T>[] = [];
  const plantOne = async (count: number): Promise<Forest<T>> => {
    const forest = await variant.plant(count);
    planted.push(forest);
    return forest;
  };
  try {
    let forest: Forest<T> | undefined;
    let settle: Settle | undefined;
    const measurement = await measureRun(
      async () => {
        const small = await plantOne(params.warmup ?? FOREST.warmup);
        (await variant.terminate(small))();
        checkForestGone(small.trees);
        forest = await plantOne(params.trees ?? FOREST.trees);
      },
      async () => {
        const monitor = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
        monitor.enable();
        try {
          // The histogram records the gap between two of its ticks, so a stretch is only seen between a tick before
          // it and one after it: let it tick before the calls, and once more after the last report.
          await sleep(MONITOR_LEAD_MS);
          const start = nowNs();
          settle = await variant.terminate(forest!);
          const timeMs = elapsedMs(start);
          await sleep(MONITOR_LEAD_MS);
          return { timeMs, extras: { maxLoopDelayMs: monitor.max / 1e6 } };
        } finally {
          monitor.disable();
        }
      },
    );
    const extras = settle!();
    checkForestGone(forest!.trees);
    return { ...measurement, extras: { ...measurement.extras, ...extras } };
  } finally {
    for (const forest of planted) forest.cleanup();
  }
}
