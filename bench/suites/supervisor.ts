/**
 * Suite `supervisor` (issue 10): (a) a 50-service fan-out (one root, 49 dependents waiting for it to be ready)
 * started until all are ready, then stopped in reverse order until every process is gone; (b) 100 services printing
 * 1,000 lines/s each for 60 s, every line counted through `output$` (with `state$` subscribed, as a dashboard
 * would): the worker's CPU per 1,000 lines, the RSS over the minute, lines lost.
 */
import { withExtraGoals } from '../lib/extra-goals.js';
import { measureCase } from '../lib/measure.js';
import { benchModule } from '../lib/paths.js';
import type { SuiteRun } from '../lib/types.js';
import {
  FAN_OUT,
  FLOOD,
  FLOOD_LINE_BYTES,
  RAW_CONFIG,
  READY_LINE,
  SERVICE_SCRIPT,
  SIGTERM_TIMEOUT_MS,
} from './supervisor/config.js';

const TASKS = benchModule('suites/supervisor/tasks');
const FAN_OUT_REPS = 3;
const FAN_OUT_TIMEOUT_MS = 90_000;
/** 60 s per run: one run per variant keeps the whole `npm run bench` within its budget. */
const FLOOD_REPS = 1;
/**
 * A reader that falls behind blocks the writers in `write()` (their lines come late, never dropped), so a run lasts
 * until the reader caught up: the bound leaves room for a reader at 40 % of the rate before it counts as hung.
 */
const FLOOD_TIMEOUT_MS = FLOOD.seconds * 2.5 * 1000 + 30_000;
/** Bound on the RSS growth between the two samples of case (b): bounded memory, no steady growth. */
const FLOOD_RSS_STEADY_GROWTH_MIB = 16;

export const run: SuiteRun = async (context) => {
  const dependents = FAN_OUT.services - 1;
  const rxprocFanOut = (usage: string): string =>
    `supervise({ services: { db, ${dependents} × { …, dependsOn: { db: 'ready' } } }, shutdown: GracefulShutdown.sigterm(${SIGTERM_TIMEOUT_MS}) }, { parentSignals: 'none', usageIntervalMs: ${usage} }), each service { command: 'sh', args: ['-c', SCRIPT], ready: { log: '${READY_LINE}' } }; await sup.ready(); await sup.stop(); untimed: every stop report \`terminated\`, not forced, nothing stillAlive, db last`;
  const fanOut = await measureCase(
    {
      name: 'supervisor (a) 50-service fan-out',
      description: `\`db\` and ${dependents} services depending on it (condition \`ready\`), each \`sh -c '${SERVICE_SCRIPT}'\` ready on its \`${READY_LINE}\` line: from the start until all are ready, then stopped (the ${dependents} by SIGTERM in parallel, then db) until every process is gone; all ${FAN_OUT.services} pids checked gone in /proc afterwards (untimed)`,
      moduleFile: TASKS,
      params: FAN_OUT,
      reps: FAN_OUT_REPS,
      operations: FAN_OUT.services,
      perOperation: 'ms/service',
      timeoutMs: FAN_OUT_TIMEOUT_MS,
      goals: { timeRatio: 1.5 },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG} for each; readline on stdout until the \`${READY_LINE}\` line; db first, the ${dependents} once db is ready; stop: process.kill(-pid, 'SIGTERM') to the ${dependents}, await every 'exit', then the same for db; every exit checked to be by SIGTERM`,
          task: 'fanOutRaw',
        },
        { variant: 'rxproc', config: rxprocFanOut('false'), task: 'fanOutRxproc' },
        {
          variant: 'rxproc sampled',
          config: `${rxprocFanOut('1000')} (usage sampling on, the default)`,
          task: 'fanOutRxprocSampled',
        },
      ],
    },
    context,
  );
  const expectedLines = FLOOD.children * FLOOD.rate * FLOOD.seconds;
  const writer = `\`perl -e WRITER <name> ${FLOOD.rate} ${FLOOD.seconds} ${FLOOD.batch}\` (timer-based: every ${(FLOOD.batch * 1000) / FLOOD.rate} ms, every line due since its start, one write; exactly ${FLOOD.rate * FLOOD.seconds} lines of ${FLOOD_LINE_BYTES} bytes, then exit 0)`;
  const flood = await measureCase(
    {
      name: 'supervisor (b) 100 services × 1,000 lines/s',
      description: `${FLOOD.children} services, each ${writer}, ${expectedLines} lines in all, every line counted; the time column is the whole run (spawns to the last line); CPU per 1,000 lines and RSS growth between ${FLOOD.rssEarlyS} s and ${FLOOD.rssLateS} s below`,
      moduleFile: TASKS,
      params: FLOOD,
      reps: FLOOD_REPS,
      operations: FLOOD.children,
      throughput: { amount: expectedLines / 1000, unit: 'k lines' },
      timeoutMs: FLOOD_TIMEOUT_MS,
      goals: {},
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG} for each; readline.createInterface({ input: stdout, crlfDelay: Infinity }).on('line') counting; stderr resumed; until every 'close'`,
          task: 'floodRaw',
        },
        {
          variant: 'rxproc',
          config:
            "supervise({ services: { 'svc-001' … 'svc-100': { command: 'perl', args } } }, { parentSignals: 'none' }) with the other options default (usage sampling every 1000 ms, state$ at most every 100 ms, output replay 1000); sup.output$.subscribe() counting, sup.state$.subscribe() counting emissions; until `stopped` (reason allEnded, every service completed with code 0)",
          task: 'floodRxproc',
        },
      ],
    },
    context,
  );
  const lateWindow = `${FLOOD.rssEarlyS}–${FLOOD.rssLateS} s`;
  return {
    suite: 'supervisor',
    cases: [
      withExtraGoals(fanOut, [
        { variant: 'rxproc', extra: 'startMs', label: 'start until all ready (ms)' },
        { variant: 'rxproc', extra: 'stopMs', label: 'ordered stop until all gone (ms)' },
        { variant: 'raw', extra: 'startMs', label: 'start until all ready (ms)' },
        { variant: 'raw', extra: 'stopMs', label: 'stop until all gone (ms)' },
      ]),
      withExtraGoals(flood, [
        ...['raw', 'rxproc'].flatMap((variant) => [
          {
            variant,
            extra: 'steadyCpuMsPer1kLines',
            label: `worker CPU ms per 1,000 lines, steady (${lateWindow})`,
            digits: 3,
          },
          { variant, extra: 'cpuMsPer1kLines', label: 'worker CPU ms per 1,000 lines, whole run', digits: 3 },
          { variant, extra: 'steadyLinesPerS', label: `lines/s received (${lateWindow})`, digits: 0 },
          { variant, extra: 'linesLost', label: `lines lost of ${expectedLines}`, atMost: 0, digits: 0 },
          {
            variant,
            extra: 'rssSteadyGrowthMiB',
            label: `RSS growth ${lateWindow} (MiB)`,
            ...(variant === 'rxproc' ? { atMost: FLOOD_RSS_STEADY_GROWTH_MIB } : {}),
          },
        ]),
      ]),
    ],
  };
};
