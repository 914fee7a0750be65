/**
 * Cases (a) and (b): 200 three-process trees ended at once. (a) by SIGTERM; (b) by a 500 ms SIGINT phase the trees
 * ignore, then SIGTERM. The raw floor ends each tree by hand (group kill, the leader's `'exit'`, then polls of the
 * tree's own pids until each is gone or a zombie); rxproc calls `terminate()` on every handle at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GracefulShutdown, ProcessHandle, TerminationReport } from '../../../src/index.js';
import type { Task } from '../../lib/types.js';
import { type RawChild, expectSignal } from '../termination/raw-child.js';
import { rxproc } from '../termination/rxproc.js';
import {
  POLL_SLEEP_MS,
  SIGINT_PHASE_MS,
  SIGTERM_TIMEOUT_MS,
  TREE_SCRIPT,
  TREE_SCRIPT_IGNORING_INT,
} from './config.js';
import {
  type Forest,
  type ForestVariant,
  type Settle,
  measureForest,
  plantRaw,
  plantRxproc,
} from './forest.js';
import { allGone } from './proc.js';

/** Polls the tree's own pids until each is gone or a zombie (the leader's exit was already seen). */
async function untilTreeGone(pids: readonly number[]): Promise<void> {
  while (!allGone(pids)) await sleep(POLL_SLEEP_MS);
}

/** Polls `kill(-pgid, 0)` until ESRCH: the group's number is free only once every member, zombies too, is reaped. */
async function untilGroupReaped(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw error;
    }
    await sleep(POLL_SLEEP_MS);
  }
}

/** The largest `later[i] − earlier[i]`; throws when a time is missing. */
function maxDelay(what: string, earlier: readonly number[], later: readonly number[]): number {
  let max = 0;
  for (let i = 0; i < earlier.length; i += 1) {
    const from = earlier[i];
    const to = later[i];
    if (from === undefined || to === undefined) throw new Error(`tree ${i}: no ${what} time`);
    max = Math.max(max, to - from);
  }
  return max;
}

function rawSigterm(
  untilEmpty: (child: RawChild, pids: readonly number[]) => Promise<void>,
): ForestVariant<RawChild> {
  return {
    plant: (count) => plantRaw(count, TREE_SCRIPT),
    terminate: async (forest) => {
      await Promise.all(
        forest.members.map(async (child, i) => {
          process.kill(-child.pid, 'SIGTERM');
          expectSignal(await child.exited, 'SIGTERM');
          await untilEmpty(child, forest.trees[i]!.pids);
        }),
      );
      return () => undefined;
    },
  };
}

/** Phase (b) by hand: SIGINT, a 500 ms wait the exit could end early, SIGTERM, the exit, the tree's pids. */
const rawPhased: ForestVariant<RawChild> = {
  plant: (count) => plantRaw(count, TREE_SCRIPT_IGNORING_INT),
  terminate: async (forest) => {
    const count = forest.members.length;
    const calledAt = new Array<number>(count);
    const sigintAt = new Array<number>(count);
    const sigtermAt = new Array<number>(count);
    await Promise.all(
      forest.members.map(async (child, i) => {
        calledAt[i] = Date.now();
        process.kill(-child.pid, 'SIGINT');
        sigintAt[i] = Date.now();
        const first = await Promise.race([
          child.exited.then(() => 'exited' as const),
          sleep(SIGINT_PHASE_MS).then(() => 'timedOut' as const),
        ]);
        if (first === 'exited') throw new Error(`tree ${child.pid} ended by SIGINT, which it should ignore`);
        process.kill(-child.pid, 'SIGTERM');
        sigtermAt[i] = Date.now();
        expectSignal(await child.exited, 'SIGTERM');
        await untilTreeGone(forest.trees[i]!.pids);
      }),
    );
    return () => ({
      maxSigintDelayMs: maxDelay('SIGINT', calledAt, sigintAt),
      maxSigtermDelayMs: maxDelay('SIGTERM', calledAt, sigtermAt),
    });
  },
};

function checkReport(report: TerminationReport, signalsSent: readonly string[]): void {
  const sent = report.signalsSent.join(',');
  if (
    report.endedBy !== 'SIGTERM' ||
    report.forced ||
    report.stillAlive.length !== 0 ||
    sent !== signalsSent.join(',')
  ) {
    throw new Error(
      `unexpected report: endedBy ${report.endedBy}, forced ${report.forced}, ` +
        `${report.stillAlive.length} still alive, signals sent ${sent}`,
    );
  }
}

/** Per-handle observation around the calls: set up before them, told of each call, read after the run. */
interface Observer {
  called(index: number): void;
  settle(): Readonly<Record<string, number>>;
}

/**
 * rxproc: `terminate(shutdown)` on every handle at once, every report checked. The number of process-table scans
 * during the run is reported as `scans`.
 */
async function rxprocForest(
  script: string,
  shutdownOf: (rx: Awaited<ReturnType<typeof rxproc>>) => GracefulShutdown,
  signalsSent: readonly string[],
  observe?: (forest: Forest<ProcessHandle>) => Observer,
): Promise<ForestVariant<ProcessHandle>> {
  const rx = await rxproc();
  const shutdown = shutdownOf(rx);
  const table = rx.currentPlatform().processTable;
  return {
    plant: (count) => plantRxproc(count, script),
    terminate: async (forest) => {
      const scansBefore = table.scanCount;
      const observer = observe?.(forest);
      const reports = await Promise.all(
        forest.members.map((proc, i) => {
          observer?.called(i);
          return proc.terminate(shutdown);
        }),
      );
      const scans = table.scanCount - scansBefore;
      const settle: Settle = () => {
        for (const report of reports) checkReport(report, signalsSent);
        return { scans, ...observer?.settle() };
      };
      return settle;
    },
  };
}

/** The time of each handle's `terminate()` call and the `at` of its SIGINT and SIGTERM `signalSent` events. */
function observeSignals(forest: Forest<ProcessHandle>): Observer {
  const count = forest.members.length;
  const calledAt = new Array<number>(count);
  const sigintAt = new Array<number>(count);
  const sigtermAt = new Array<number>(count);
  const subscriptions = forest.members.map((proc, i) =>
    proc.events$.subscribe((event) => {
      if (event.type !== 'signalSent' || event.cause !== 'termination') return;
      if (event.signal === 'SIGINT') sigintAt[i] = event.at;
      if (event.signal === 'SIGTERM') sigtermAt[i] = event.at;
    }),
  );
  return {
    // `at` is asyncScheduler.now(), which is Date.now().
    called: (i) => {
      calledAt[i] = Date.now();
    },
    settle: () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      return {
        maxSigintDelayMs: maxDelay('SIGINT', calledAt, sigintAt),
        maxSigtermDelayMs: maxDelay('SIGTERM', calledAt, sigtermAt),
      };
    },
  };
}

export const terminateTasks: Record<string, Task> = {
  manySigtermRaw: (params) =>
    measureForest(
      params,
      rawSigterm((_, pids) => untilTreeGone(pids)),
    ),
  manySigtermRawReaped: (params) =>
    measureForest(
      params,
      rawSigterm((child) => untilGroupReaped(child.pid)),
    ),
  manySigtermRxproc: async (params) =>
    measureForest(
      params,
      await rxprocForest(TREE_SCRIPT, (rx) => rx.GracefulShutdown.sigterm(SIGTERM_TIMEOUT_MS), ['SIGTERM']),
    ),
  manyPhasedRaw: (params) => measureForest(params, rawPhased),
  manyPhasedRxproc: async (params) =>
    measureForest(
      params,
      await rxprocForest(
        TREE_SCRIPT_IGNORING_INT,
        (rx) =>
          rx.GracefulShutdown.phases([
            { signal: 'SIGINT', timeoutMs: SIGINT_PHASE_MS },
            { signal: 'SIGTERM', timeoutMs: SIGTERM_TIMEOUT_MS },
          ]),
        ['SIGINT', 'SIGTERM'],
        observeSignals,
      ),
    ),
};
