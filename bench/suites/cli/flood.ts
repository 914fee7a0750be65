/**
 * Case (c): `rxproc up --ui lines` with N services running `yes "<text>"` (each writes as fast as its pipe takes
 * it) for a fixed time, the runner's stdout a pipe the worker drains (counting bytes only). The runner's VmRSS is
 * sampled every second; lines delivered are the bytes received over the bytes of one line (every line has the same
 * padded prefix). Then SIGINT, and the time until the runner exited (130) with every service stopped. Lines the
 * runner dropped (its stdout buffer over its 8 MiB bound) are read from its closing `N lines dropped` message.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement, Task, TaskParams } from '../../lib/types.js';
import { CLI_ENTRY, FLOOD, FLOOD_COMMAND, FLOOD_TEXT, runnerEnv } from './config.js';
import { expectEnding, procCpu, procRss, startCountingRunner } from './runner.js';

const MIB = 2 ** 20;
/** A runner that does not exit within this after SIGINT fails the run. */
const STOP_BOUND_MS = 15_000;

/** Ad-hoc names: `yes`, `yes-2`, … `yes-N`, padded to the widest; `name │ text`. */
function lineBytes(services: number): number {
  const width = services > 1 ? `yes-${services}`.length : 3;
  return Buffer.byteLength(`${'yes'.padEnd(width)} │ ${FLOOD_TEXT}\n`);
}

async function measureFlood(params: TaskParams): Promise<Measurement> {
  const services = params.services ?? FLOOD.services;
  const seconds = params.seconds ?? FLOOD.seconds;
  const earlyS = params.earlyS ?? FLOOD.earlyS;
  const commands = Array.from({ length: services }, () => FLOOD_COMMAND);
  const { runner, bytes, stderr } = startCountingRunner(
    [CLI_ENTRY, 'up', '--ui', 'lines', '--', ...commands],
    'ignore',
    runnerEnv(),
  );
  try {
    const start = nowNs();
    const rss: number[] = []; // rss[i]: VmRSS (i + 1) s after the start
    const bytesAt: number[] = [];
    for (let s = 1; s <= seconds; s++) {
      await sleep(s * 1000 - elapsedMs(start));
      const sample = procRss(runner.pid);
      if (sample === undefined) throw new Error(`the runner ended early: ${stderr()}`);
      rss.push(sample);
      bytesAt.push(bytes());
    }
    const cpu = procCpu(runner.pid);
    const runMs = elapsedMs(start);
    const stopStart = nowNs();
    runner.child.kill('SIGINT');
    const ending = await Promise.race([
      runner.closed,
      sleep(STOP_BOUND_MS).then(() => {
        throw new Error(`the runner did not exit within ${STOP_BOUND_MS} ms of SIGINT`);
      }),
    ]);
    expectEnding('rxproc', ending, 130);
    const stopMs = elapsedMs(stopStart);
    const droppedMatch = /rxproc: (\d+) lines dropped/.exec(stderr());
    const dropped = droppedMatch === null ? 0 : Number(droppedMatch[1]);
    const delivered = bytes() / lineBytes(services);
    const perLine = lineBytes(services);
    const early = rss[earlyS - 1]!;
    const late = rss[rss.length - 1]!;
    const earlyBytes = bytesAt[earlyS - 1]!;
    const lateBytes = bytesAt[bytesAt.length - 1]!;
    return {
      timeMs: runMs,
      rssGrowthBytes: Math.max(...rss),
      extras: {
        rssEarlyMiB: early / MIB,
        rssLateMiB: late / MIB,
        rssGrowthMiB: (late - early) / MIB,
        rssPeakMiB: Math.max(...rss) / MIB,
        linesPerS: bytes() / perLine / (runMs / 1000),
        linesDropped: dropped,
        droppedPercent: (dropped / (dropped + delivered)) * 100,
        steadyLinesPerS: (lateBytes - earlyBytes) / perLine / (seconds - earlyS),
        runnerCpuPercent: cpu === undefined ? Number.NaN : (cpu.selfMs / runMs) * 100,
        stopMs,
      },
    };
  } finally {
    runner.cleanup();
  }
}

export const floodTasks: Record<string, Task> = { flood: measureFlood };
