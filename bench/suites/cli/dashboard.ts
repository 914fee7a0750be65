/**
 * Case (b): the dashboard. (b1) one frame of 50 services, `renderFrame(model, width, height)` timed frame by frame
 * (a dependency tree, 2000 stored log lines, colour on, one service's pid
 * changing every frame so no two frames are alike), alone and followed by the row diff the TUI writes. (b2) the
 * runner with idle services in `--ui tui` mode writing to a pipe: its CPU from `/proc/<pid>/stat` over a window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FrameDiffer } from '../../../src/cli/render/tui/diff.js';
import { LogStore, initialView, renderFrame } from '../../../src/cli/render/tui/index.js';
import type { TuiModel } from '../../../src/cli/render/tui/index.js';
import type { ServiceState } from '../../../src/supervisor/state-types.js';
import { median } from '../../lib/stats.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement, Task, TaskParams } from '../../lib/types.js';
import { CLI_ENTRY, FRAME, IDLE, IDLE_COMMAND, runnerEnv } from './config.js';
import { expectEnding, procCpu, procRss, startCountingRunner } from './runner.js';

function service(i: number, pid: number): ServiceState {
  return {
    name: `svc-${i}`,
    service: `svc-${i}`,
    status: 'running',
    readiness: 'ready',
    dependsOn: i > 0 ? { [`svc-${Math.floor((i - 1) / 3)}`]: 'ready' } : {},
    waitingFor: [],
    pid,
    restarts: 0,
    maxRestarts: 5,
    startedAt: 0,
    readyAt: 100,
    nextStartAt: undefined,
    exitStatus: undefined,
    reason: undefined,
    lastLine: `GET /api/items/${i} 200 ${i} ms`,
    usage: { cpuPercent: i / 7, rssBytes: 40e6 + i * 1e6, processes: 2 },
    holdouts: [],
  };
}

function frameModel(services: number, logLines: number): (pid: number) => TuiModel {
  const logs = new LogStore();
  for (let i = 0; i < logLines; i++)
    logs.add(`svc-${i % services}`, i % 9 ? 'stdout' : 'stderr', `log line ${i} ${'·'.repeat(i % 40)}`);
  return (pid) => ({
    project: 'bench',
    state: {
      phase: 'running',
      at: 0,
      services: Array.from({ length: services }, (_, i) => service(i, i === 10 ? pid : 1000 + i)),
    },
    now: 65_000,
    view: { ...initialView, selected: 'svc-10' },
    logs,
    color: true,
  });
}

async function measureFrames(params: TaskParams, withDiff: boolean): Promise<Measurement> {
  const frames = params.frames ?? FRAME.frames;
  const width = params.width ?? FRAME.width;
  const height = params.height ?? FRAME.height;
  const model = frameModel(params.services ?? FRAME.services, params.logLines ?? FRAME.logLines);
  const differ = new FrameDiffer();
  let bytes = 0;
  const one = (i: number): void => {
    const frame = renderFrame(model(i), width, height);
    if (withDiff) bytes += differ.diff(frame).length;
  };
  for (let i = 0; i < (params.warmup ?? FRAME.warmup); i++) one(i);
  bytes = 0;
  const rssBefore = process.memoryUsage.rss();
  const times: number[] = [];
  const start = nowNs();
  for (let i = 0; i < frames; i++) {
    const t = performance.now();
    one(i);
    times.push((performance.now() - t) * 1000);
  }
  const timeMs = elapsedMs(start);
  times.sort((a, b) => a - b);
  return {
    timeMs,
    rssGrowthBytes: process.memoryUsage.rss() - rssBefore,
    extras: {
      medianUsPerFrame: median(times),
      p99UsPerFrame: times[Math.floor(times.length * 0.99)] ?? Number.NaN,
      ...(withDiff ? { diffBytesPerFrame: bytes / frames } : {}),
    },
  };
}

/**
 * `rxproc up --ui tui -- "sleep 300" ×N`, stdin and stdout pipes (a pipe has no size: the dashboard draws 80×24).
 * After `settleS`, the runner's CPU over `seconds`; then SIGINT, and the exit (130) awaited.
 */
async function measureIdle(params: TaskParams): Promise<Measurement> {
  const services = params.services ?? IDLE.services;
  const seconds = params.seconds ?? IDLE.seconds;
  const settleS = params.settleS ?? IDLE.settleS;
  const commands = Array.from({ length: services }, () => IDLE_COMMAND);
  const { runner, bytes, stderr } = startCountingRunner(
    [CLI_ENTRY, 'up', '--ui', 'tui', '--', ...commands],
    'pipe',
    runnerEnv(),
  );
  try {
    await sleep(settleS * 1000);
    const cpu0 = procCpu(runner.pid);
    const bytes0 = bytes();
    const start = nowNs();
    await sleep(seconds * 1000);
    const cpu1 = procCpu(runner.pid);
    const windowMs = elapsedMs(start);
    const rss = procRss(runner.pid) ?? Number.NaN;
    if (cpu0 === undefined || cpu1 === undefined) throw new Error(`the runner ended early: ${stderr()}`);
    const windowBytes = bytes() - bytes0;
    const stopStart = nowNs();
    runner.child.kill('SIGINT');
    expectEnding('rxproc', await runner.closed, 130);
    const stopMs = elapsedMs(stopStart);
    return {
      timeMs: windowMs,
      rssGrowthBytes: rss,
      extras: {
        cpuPercentOfCore: ((cpu1.selfMs - cpu0.selfMs) / windowMs) * 100,
        reapedChildrenCpuPercent: ((cpu1.reapedChildrenMs - cpu0.reapedChildrenMs) / windowMs) * 100,
        outputBytesPerS: windowBytes / (windowMs / 1000),
        stopMs,
      },
    };
  } finally {
    runner.cleanup();
  }
}

export const dashboardTasks: Record<string, Task> = {
  frame: (params) => measureFrames(params, false),
  frameDiff: (params) => measureFrames(params, true),
  tuiIdle: measureIdle,
};
