/**
 * Suite `spawn`: the cost of starting, watching and reaping children, against raw `node:child_process`.
 * (a) 500 short-lived children one after the other: per-spawn overhead.
 * (b) 200 long-lived children at once, killed together: time and parent memory under a fan-out.
 */
import { measureCase } from '../lib/measure.js';
import { benchModule } from '../lib/paths.js';
import type { SuiteRun } from '../lib/types.js';
import {
  CONCURRENT,
  EXECA_CONFIG,
  RAW_CONFIG,
  RXPROC_CONFIG,
  SEQUENTIAL,
  SPAWN_RX_CONFIG,
} from './spawn/config.js';

const TASKS = benchModule('suites/spawn/tasks');
const REPS = 3;
/** Several times a normal run on a loaded 2-core machine; a hang costs this once per variant. */
const TIMEOUT_MS = 90_000;
const GOALS = { timeRatio: 1.15, rssRatio: 2 } as const;

export const run: SuiteRun = async (context) => {
  const sequential = await measureCase(
    {
      name: 'spawn (a) sequential',
      description: `${SEQUENTIAL.count} × spawn \`true\` and await its exit, one at a time`,
      moduleFile: TASKS,
      params: SEQUENTIAL,
      reps: REPS,
      operations: SEQUENTIAL.count,
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: GOALS.timeRatio },
      variants: [
        { variant: 'raw', config: `${RAW_CONFIG}, await 'exit'`, task: 'sequentialRaw' },
        { variant: 'rxproc', config: `${RXPROC_CONFIG}, await proc.wait()`, task: 'sequentialRxproc' },
        { variant: 'execa', config: `${EXECA_CONFIG}, await the result`, task: 'sequentialExeca' },
        { variant: 'spawn-rx', config: `${SPAWN_RX_CONFIG}, resolves on 'close'`, task: 'sequentialSpawnRx' },
      ],
    },
    context,
  );
  const concurrent = await measureCase(
    {
      name: 'spawn (b) concurrent',
      description: `${CONCURRENT.count} × \`sleep 30\` at once, all confirmed started, SIGKILLed, all exits awaited`,
      moduleFile: TASKS,
      params: CONCURRENT,
      reps: REPS,
      operations: CONCURRENT.count,
      timeoutMs: TIMEOUT_MS,
      goals: GOALS,
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; started = 'spawn' event; process.kill(-pid, 'SIGKILL'); await 'exit'`,
          task: 'concurrentRaw',
        },
        {
          variant: 'rxproc',
          config: `${RXPROC_CONFIG}; started = first events$ event is 'spawned'; sendSignal('SIGKILL') (group); await wait()`,
          task: 'concurrentRxproc',
        },
        {
          variant: 'execa',
          config: `${EXECA_CONFIG}, reject: false; started = 'spawn' event; subprocess.kill('SIGKILL') (child only); await it`,
          task: 'concurrentExeca',
        },
      ],
    },
    context,
  );
  return { suite: 'spawn', cases: [sequential, concurrent] };
};
