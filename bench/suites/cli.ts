/**
 * Suite `cli` (issue 11): the `rxproc` binary as users run it. (a) lines-mode throughput: four `seq 1 1000000`
 * into one file, against concurrently 9 and the bare children, every line checked afterwards; (b) the dashboard:
 * one frame of 50 services, and the runner's CPU with 20 idle services; (c) the runner's RSS with 20 services
 * flooding output for 30 s.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { withExtraGoals } from '../lib/extra-goals.js';
import { measureCase } from '../lib/measure.js';
import { benchModule, repoRoot } from '../lib/paths.js';
import type { SuiteRun } from '../lib/types.js';
import {
  FLOOD,
  FLOOD_COMMAND,
  FRAME,
  IDLE,
  IDLE_COMMAND,
  THROUGHPUT,
  cliBuilt,
  concurrentlyVersion,
  ensureCliManifest,
  seqCommand,
} from './cli/config.js';

const TASKS = benchModule('suites/cli/tasks');
const THROUGHPUT_REPS = 3;
const THROUGHPUT_TIMEOUT_MS = 60_000;
const FRAME_REPS = 3;
const IDLE_REPS = 1;
const FLOOD_REPS = 1;
/** Case (b2): the runner's CPU with idle services, in % of one core. */
const IDLE_CPU_PERCENT = 1;
/** Case (c): RSS growth between the early sample and the last one. */
const FLOOD_RSS_GROWTH_MIB = 16;

export const run: SuiteRun = async (context) => {
  if (!cliBuilt()) {
    // Running the sources (tsx): compile the tree `npm run bench` would, for the CLI entry.
    context.progress('  building .bench-build/ for the CLI');
    execFileSync(
      process.execPath,
      [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bench.json'],
      {
        cwd: repoRoot,
      },
    );
  }
  ensureCliManifest();
  const { services, count } = THROUGHPUT;
  const seq = seqCommand(count);
  const quoted = Array.from({ length: services }, () => `"${seq}"`).join(' ');
  const lines = services * count;
  const throughput = await measureCase(
    {
      name: 'cli (a) lines-mode throughput',
      description: `${services} services each \`${seq}\` (${lines / 1e6} M lines in all), the runner's stdout a file (spawn stdio ['ignore', fd, 'inherit']), from the spawn until the runner exited; untimed afterwards, the file read back and every line checked (\`<prefix><n>\` intact, each service's 1..${count} complete, in order). The RSS column here is the runner's peak VmRSS (sampled every 100 ms), not a growth`,
      moduleFile: TASKS,
      params: THROUGHPUT,
      reps: THROUGHPUT_REPS,
      operations: services,
      throughput: { amount: lines / 1e6, unit: 'M lines' },
      timeoutMs: THROUGHPUT_TIMEOUT_MS,
      goals: { timeRatio: 1.0, against: 'concurrently' },
      variants: [
        {
          variant: 'raw',
          config: `${services} × spawn('sh', ['-c', '${seq}']) writing to the same file, no runner (the floor; checked by size only)`,
          task: 'throughputRaw',
        },
        {
          variant: 'concurrently',
          config: `node concurrently.js ${quoted} (concurrently ${concurrentlyVersion()}, default prefix \`[i] \`), NO_COLOR=1`,
          task: 'throughputConcurrently',
        },
        {
          variant: 'rxproc',
          config: `node .bench-build/src/cli/main.js up --ui lines -- ${quoted} (ad-hoc names seq, seq-2…; prefix \`seq-2 │ \`), NO_COLOR=1`,
          task: 'throughputRxproc',
        },
      ],
    },
    context,
  );
  const frame = await measureCase(
    {
      name: 'cli (b1) dashboard frame, 50 services',
      description: `renderFrame(model, ${FRAME.width}, ${FRAME.height}) with ${FRAME.services} services in a dependency tree, ${FRAME.logLines} stored log lines, colour on, one pid changing every frame; ${FRAME.frames} frames timed one by one after ${FRAME.warmup} untimed; the time column is all ${FRAME.frames} frames`,
      moduleFile: TASKS,
      params: FRAME,
      reps: FRAME_REPS,
      operations: FRAME.frames,
      perOperation: 'ms/frame',
      timeoutMs: 60_000,
      goals: {},
      variants: [
        { variant: 'rxproc renderFrame', config: 'renderFrame(model(i), width, height)', task: 'frame' },
        {
          variant: 'rxproc frame+diff',
          config: 'differ.diff(renderFrame(model(i), width, height)): what the TUI computes per drawn frame',
          task: 'frameDiff',
        },
      ],
    },
    context,
  );
  const idle = await measureCase(
    {
      name: `cli (b2) dashboard, ${IDLE.services} idle services`,
      description: `rxproc up --ui tui -- ${IDLE.services} × "${IDLE_COMMAND}", stdin and stdout pipes (80×24: a pipe has no size); after ${IDLE.settleS} s, the runner's own CPU (utime + stime in /proc/<pid>/stat) over ${IDLE.seconds} s; then SIGINT until it exited 130. The time column is the window; the RSS column is the runner's VmRSS at its end`,
      moduleFile: TASKS,
      params: IDLE,
      reps: IDLE_REPS,
      operations: IDLE.services,
      perOperation: 'ms/service',
      timeoutMs: (IDLE.settleS + IDLE.seconds) * 1000 + 30_000,
      goals: {},
      variants: [
        {
          variant: 'rxproc',
          config:
            'usage sampling every 2000 ms (the tui default), ticks every 1000 ms, frames at most every 33 ms',
          task: 'tuiIdle',
        },
      ],
    },
    context,
  );
  const flood = await measureCase(
    {
      name: `cli (c) ${FLOOD.services} services flooding, ${FLOOD.seconds} s`,
      description: `rxproc up --ui lines -- ${FLOOD.services} × '${FLOOD_COMMAND}', stdout a pipe the worker drains (counting bytes; lines = bytes / bytes per line), VmRSS of the runner from /proc/<pid>/status every second for ${FLOOD.seconds} s; then SIGINT until it exited 130. The time column is the ${FLOOD.seconds} s; the RSS column is the runner's peak VmRSS`,
      moduleFile: TASKS,
      params: FLOOD,
      reps: FLOOD_REPS,
      operations: FLOOD.services,
      perOperation: 'ms/service',
      timeoutMs: FLOOD.seconds * 1000 + 60_000,
      goals: {},
      variants: [
        {
          variant: 'rxproc',
          config: 'usage sampling off (the lines default), no timestamps, NO_COLOR=1',
          task: 'flood',
        },
      ],
    },
    context,
  );
  const lineGoals = (variant: string, bounded: boolean) =>
    [
      { extra: 'linesLostOrSplit', label: `lines lost or split of ${lines}` },
      { extra: 'linesGarbled', label: 'garbled lines (no `<prefix><n>`, repeated or out of range)' },
      { extra: 'linesOutOfOrder', label: 'lines out of order within a service' },
    ].map((goal) => ({ variant, ...goal, digits: 0, ...(bounded ? { atMost: 0 } : {}) }));
  return {
    suite: 'cli',
    cases: [
      withExtraGoals(throughput, [
        ...lineGoals('rxproc', true),
        ...lineGoals('concurrently', false),
        ...['raw', 'concurrently', 'rxproc'].map((variant) => ({
          variant,
          extra: 'cpuMsRunnerAndChildren',
          label: 'CPU ms of the runner and its children',
          digits: 0,
        })),
      ]),
      withExtraGoals(frame, [
        { variant: 'rxproc renderFrame', extra: 'medianUsPerFrame', label: 'median µs per frame', digits: 0 },
        {
          variant: 'rxproc renderFrame',
          extra: 'p99UsPerFrame',
          label: '99th percentile µs per frame',
          digits: 0,
        },
        {
          variant: 'rxproc frame+diff',
          extra: 'medianUsPerFrame',
          label: 'median µs per frame + diff',
          digits: 0,
        },
      ]),
      withExtraGoals(idle, [
        {
          variant: 'rxproc',
          extra: 'cpuPercentOfCore',
          label: `runner CPU, % of one core over ${IDLE.seconds} s`,
          atMost: IDLE_CPU_PERCENT,
          digits: 2,
        },
        {
          variant: 'rxproc',
          extra: 'reapedChildrenCpuPercent',
          label: 'CPU of helpers it ran and reaped (%)',
          digits: 2,
        },
        { variant: 'rxproc', extra: 'outputBytesPerS', label: 'bytes/s written to the pipe', digits: 0 },
        { variant: 'rxproc', extra: 'stopMs', label: 'SIGINT until exited (ms)', digits: 0 },
      ]),
      withExtraGoals(flood, [
        { variant: 'rxproc', extra: 'rssEarlyMiB', label: `runner RSS at ${FLOOD.earlyS} s (MiB)` },
        { variant: 'rxproc', extra: 'rssLateMiB', label: `runner RSS at ${FLOOD.seconds} s (MiB)` },
        {
          variant: 'rxproc',
          extra: 'rssGrowthMiB',
          label: `RSS growth ${FLOOD.earlyS}–${FLOOD.seconds} s (MiB)`,
          atMost: FLOOD_RSS_GROWTH_MIB,
        },
        { variant: 'rxproc', extra: 'rssPeakMiB', label: 'runner peak RSS (MiB)' },
        { variant: 'rxproc', extra: 'linesPerS', label: 'lines/s delivered, whole run', digits: 0 },
        {
          variant: 'rxproc',
          extra: 'steadyLinesPerS',
          label: `lines/s delivered, ${FLOOD.earlyS}–${FLOOD.seconds} s`,
          digits: 0,
        },
        {
          variant: 'rxproc',
          extra: 'linesDropped',
          label: 'lines dropped by the runner (stdout over its bound)',
          digits: 0,
        },
        { variant: 'rxproc', extra: 'droppedPercent', label: 'dropped, % of the lines read', digits: 1 },
        { variant: 'rxproc', extra: 'runnerCpuPercent', label: 'runner CPU, % of one core', digits: 0 },
        { variant: 'rxproc', extra: 'stopMs', label: 'SIGINT until exited (ms)', digits: 0 },
      ]),
    ],
  };
};
