/**
 * Suite `streams`: reading a child's output through rxproc's views, against raw `node:child_process` and peers.
 * (a) 1 GiB through `chunks$` vs `'data'` events. (b) `seq 1 10000000` through `lines$` vs a hand-written split
 * loop, readline and spawn-rx. (c) `seq` through the `lines()` pull iterator vs execa's line iteration.
 * (d) 1 GiB into a slow consumer, reliable and lossy: the parent's RSS growth.
 */
import { measureCase } from '../lib/measure.js';
import { benchModule } from '../lib/paths.js';
import type { SuiteRun } from '../lib/types.js';
import { PULL_LINES, PUSH_LINES, RAW_CONFIG, RXPROC_CONFIG, SLOW, THROUGHPUT } from './streams/config.js';

const TASKS = benchModule('suites/streams/tasks');
const REPS = 3;
const SLOW_REPS = 2;
/** Case (a) is the noisiest (the pipe copy competes with everything else on the machine) and cheap: more runs. */
const THROUGHPUT_REPS = 5;
const TIMEOUT_MS = 90_000;
const MB = 1e6;

export const run: SuiteRun = async (context) => {
  const throughput = await measureCase(
    {
      name: 'streams (a) chunks$',
      description: `${THROUGHPUT.bytes} bytes of \`head -c ${THROUGHPUT.bytes} /dev/zero\`, every byte counted`,
      moduleFile: TASKS,
      params: THROUGHPUT,
      reps: THROUGHPUT_REPS,
      operations: 1,
      throughput: { amount: THROUGHPUT.bytes / MB, unit: 'MB' },
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 1 / 0.95 },
      variants: [
        { variant: 'raw', config: `${RAW_CONFIG}; stdout.on('data'), stderr resumed`, task: 'throughputRaw' },
        {
          variant: 'rxproc',
          config: `${RXPROC_CONFIG}; stdout.chunks$.subscribe() until complete, then wait()`,
          task: 'throughputRxproc',
        },
        {
          variant: 'raw, rxproc loaded',
          config:
            "the raw loop in a worker that first ran `await import('rxproc')` and never used it (diagnostic)",
          task: 'throughputRawRxprocLoaded',
        },
      ],
    },
    context,
  );
  const pushLines = await measureCase(
    {
      name: 'streams (b) lines$',
      description: `\`seq 1 ${PUSH_LINES.count}\` as lines, every line and character counted`,
      moduleFile: TASKS,
      params: PUSH_LINES,
      reps: REPS,
      operations: 1,
      throughput: { amount: PUSH_LINES.count / 1e6, unit: 'M lines' },
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 1 / 0.8 },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; 'data' → StringDecoder → indexOf('\\n') + slice loop`,
          task: 'pushLinesRaw',
        },
        { variant: 'rxproc', config: `${RXPROC_CONFIG}; stdout.lines$.subscribe()`, task: 'pushLinesRxproc' },
        {
          variant: 'readline',
          config: `${RAW_CONFIG}; readline.createInterface({ input: stdout, crlfDelay: Infinity }).on('line')`,
          task: 'pushLinesReadline',
        },
        {
          variant: 'spawn-rx',
          config:
            "spawn-rx 6 spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], split: false }) → same split loop",
          task: 'pushLinesSpawnRx',
        },
      ],
    },
    context,
  );
  const pullLines = await measureCase(
    {
      name: 'streams (c) lines()',
      description: `\`seq 1 ${PULL_LINES.count}\` pulled with for await, every line and character counted`,
      moduleFile: TASKS,
      params: PULL_LINES,
      reps: REPS,
      operations: 1,
      throughput: { amount: PULL_LINES.count / 1e6, unit: 'M lines' },
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 1 / 5, against: 'execa' },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; for await (chunk of stdout) → the split loop`,
          task: 'pullLinesRaw',
        },
        {
          variant: 'rxproc',
          config: `${RXPROC_CONFIG}; for await (line of stdout.lines({ delivery: 'reliable' }))`,
          task: 'pullLinesRxproc',
        },
        {
          variant: 'execa',
          config:
            "execa 9 execa(cmd, args, { stdin: 'ignore', detached: true, buffer: false }); for await (line of subprocess)",
          task: 'pullLinesExeca',
        },
      ],
    },
    context,
  );
  const pace = `sleeps ${SLOW.pauseMs} ms after every ${SLOW.pauseEveryBytes / 1024} KiB`;
  const slow = await measureCase(
    {
      name: 'streams (d) slow consumer',
      description: `${SLOW.bytes} bytes of \`head -c\` into a consumer that ${pace}`,
      moduleFile: TASKS,
      params: SLOW,
      reps: SLOW_REPS,
      operations: 1,
      throughput: { amount: SLOW.bytes / MB, unit: 'MB' },
      timeoutMs: TIMEOUT_MS,
      goals: { rssGrowthMiB: 64 },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; 'data' handler ${pace.replace('sleeps', 'pauses the stream for')}, then resumes it`,
          task: 'slowRaw',
        },
        {
          variant: 'rxproc reliable',
          config: `${RXPROC_CONFIG}; for await (chunk of stdout.chunks({ delivery: 'reliable' })), ${pace}`,
          task: 'slowReliable',
        },
        {
          variant: 'rxproc lossy',
          config: `same with delivery: 'lossy' (consumed + dropped bytes must add up to the input)`,
          task: 'slowLossy',
        },
      ],
    },
    context,
  );
  return { suite: 'streams', cases: [throughput, pushLines, pullLines, slow] };
};
