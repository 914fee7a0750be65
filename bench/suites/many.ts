/**
 * Suite `many` (issue 8, "Many children at once"): (a) 200 three-process trees ended at once by SIGTERM and
 * verified, with the longest event-loop delay and the process-table scans during it; (b) the same trees behind a
 * 500 ms SIGINT phase they ignore, with the delay from the call to each SIGTERM; (c) 200 live children sampled by
 * `usage$(1000)` for 5 s: scans and the CPU the sampling costs.
 */
import { withExtraGoals } from '../lib/extra-goals.js';
import { measureCase } from '../lib/measure.js';
import { benchModule } from '../lib/paths.js';
import type { SuiteRun } from '../lib/types.js';
import {
  FOREST,
  LOOP_DELAY_GOAL_MS,
  POLL_SLEEP_MS,
  RAW_CONFIG,
  SIGINT_PHASE_MS,
  SIGTERM_DEADLINE_MS,
  SIGTERM_TIMEOUT_MS,
  TREE_SCRIPT,
  TREE_SCRIPT_IGNORING_INT,
  TREE_SIZE,
  USAGE,
} from './many/config.js';

const TASKS = benchModule('suites/many/tasks');
const REPS = 3;
const TIMEOUT_MS = 90_000;
const RAW_POLL = `poll the tree's ${TREE_SIZE} pids in /proc (open + read into a reused buffer) with a ${POLL_SLEEP_MS} ms sleep until each is gone or a zombie`;
const ALL_AT_ONCE = `all ${FOREST.trees} at once, each tree on its own`;
const LOOP_DELAY = {
  extra: 'maxLoopDelayMs',
  label: 'longest event-loop delay during the termination (ms, monitorEventLoopDelay, 10 ms resolution)',
  atMost: LOOP_DELAY_GOAL_MS,
} as const;

export const run: SuiteRun = async (context) => {
  const sigterm = await measureCase(
    {
      name: 'many (a) 200 trees, SIGTERM',
      description: `${FOREST.trees} × \`sh -c '${TREE_SCRIPT}'\` (all ${FOREST.trees * TREE_SIZE} processes seen running first) ended at once by SIGTERM until every member is gone`,
      moduleFile: TASKS,
      params: FOREST,
      reps: REPS,
      operations: FOREST.trees,
      perOperation: 'ms/tree',
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 1.5 },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; ${ALL_AT_ONCE}: process.kill(-pid, 'SIGTERM'); await 'exit'; ${RAW_POLL}`,
          task: 'manySigtermRaw',
        },
        {
          variant: 'rxproc',
          config: `rxproc spawn(cmd, args) with defaults; await Promise.all(handles.map(p => p.terminate(GracefulShutdown.sigterm(${SIGTERM_TIMEOUT_MS})))), every report checked (endedBy SIGTERM, not forced, nothing stillAlive); all ${FOREST.trees * TREE_SIZE} pids checked gone afterwards (untimed)`,
          task: 'manySigtermRxproc',
        },
        {
          variant: 'raw until reaped',
          config: `raw as above, but polls kill(-pgid, 0) with a ${POLL_SLEEP_MS} ms sleep until ESRCH: waits until the orphaned members (zombies) are reaped by PID 1, not until they are dead (diagnostic)`,
          task: 'manySigtermRawReaped',
        },
      ],
    },
    context,
  );
  const phased = await measureCase(
    {
      name: 'many (b) 200 trees, SIGINT phase first',
      description: `${FOREST.trees} × \`sh -c '${TREE_SCRIPT_IGNORING_INT}'\` (SIGINT ignored by all ${TREE_SIZE}, all seen running first) ended at once: SIGINT, ${SIGINT_PHASE_MS} ms, then SIGTERM until every member is gone`,
      moduleFile: TASKS,
      params: FOREST,
      reps: REPS,
      operations: FOREST.trees,
      perOperation: 'ms/tree',
      timeoutMs: TIMEOUT_MS,
      goals: {},
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; ${ALL_AT_ONCE}: process.kill(-pid, 'SIGINT'); race 'exit' against a ${SIGINT_PHASE_MS} ms timer; process.kill(-pid, 'SIGTERM'); await 'exit'; ${RAW_POLL}`,
          task: 'manyPhasedRaw',
        },
        {
          variant: 'rxproc',
          config: `rxproc spawn(cmd, args) with defaults; await Promise.all(handles.map(p => p.terminate(GracefulShutdown.phases([{ signal: 'SIGINT', timeoutMs: ${SIGINT_PHASE_MS} }, { signal: 'SIGTERM', timeoutMs: ${SIGTERM_TIMEOUT_MS} }])))), every report checked (endedBy SIGTERM, signals sent SIGINT then SIGTERM, not forced, nothing stillAlive); delays from each call to the \`at\` of the handle's signalSent events (events$)`,
          task: 'manyPhasedRxproc',
        },
      ],
    },
    context,
  );
  const usage = await measureCase(
    {
      name: 'many (c) usage$ sampling',
      description: `${USAGE.children} × live \`sleep\` sampled every ${USAGE.intervalMs} ms for ${USAGE.windowMs} ms (the time column is that window); CPU against the same window unsampled`,
      moduleFile: TASKS,
      params: USAGE,
      reps: REPS,
      operations: USAGE.children,
      timeoutMs: TIMEOUT_MS,
      goals: {},
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; setInterval(${USAGE.intervalMs}) (and at once): read /proc/<pid>/stat of each child (open + read into a reused buffer), CPU % against the previous read, RSS`,
          task: 'usageRaw',
        },
        {
          variant: 'rxproc',
          config: `rxproc spawn(cmd, args) with defaults; proc.usage$(${USAGE.intervalMs}).subscribe() on every handle (leader and tree figures from the shared process table)`,
          task: 'usageRxproc',
        },
      ],
    },
    context,
  );
  const scanBound = Math.ceil(USAGE.windowMs / USAGE.intervalMs) + 1;
  return {
    suite: 'many',
    cases: [
      withExtraGoals(sigterm, [
        { variant: 'rxproc', ...LOOP_DELAY },
        { variant: 'rxproc', extra: 'scans', label: 'process-table scans during the termination', digits: 0 },
      ]),
      withExtraGoals(phased, [
        {
          variant: 'rxproc',
          extra: 'maxSigtermDelayMs',
          label: 'longest delay from a terminate() call to its SIGTERM (ms)',
          atMost: SIGTERM_DEADLINE_MS,
        },
        {
          variant: 'raw',
          extra: 'maxSigtermDelayMs',
          label: 'longest delay from the start to its SIGTERM (ms)',
        },
        { variant: 'rxproc', ...LOOP_DELAY },
        { variant: 'rxproc', extra: 'scans', label: 'process-table scans during the termination', digits: 0 },
      ]),
      withExtraGoals(usage, [
        {
          variant: 'rxproc',
          extra: 'scans',
          label: `process-table scans in the ${USAGE.windowMs} ms window (all ${USAGE.children} children together)`,
          atMost: scanBound,
          digits: 0,
        },
        {
          variant: 'rxproc',
          extra: 'costMsPerS',
          label: 'CPU cost of sampling (worker CPU ms per second, sampling window − idle window)',
        },
        {
          variant: 'raw',
          extra: 'costMsPerS',
          label: 'CPU cost of sampling by hand (worker CPU ms per second)',
        },
      ]),
    ],
  };
};
