/**
 * Case (d): 1 GiB of `head -c` into a consumer slower than the pipe, which sleeps `pauseMs` after every
 * `pauseEveryBytes`. The floor pauses and resumes the raw stream itself; rxproc's pull iterators do it with
 * `delivery: 'reliable'` (the child is held back) or `'lossy'` (chunks are dropped and counted). The figure that
 * matters is the parent's RSS growth.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectCount, measureRun } from '../../lib/single-run.js';
import type { RunOutcome } from '../../lib/single-run.js';
import type { Task, TaskParams } from '../../lib/types.js';
import { MIB, RAW_OPTIONS, zeroArgs } from './config.js';
import { expectCleanExit } from './rxproc.js';

interface Pace {
  readonly everyBytes: number;
  readonly pauseMs: number;
}

type Reader = (bytes: number, pace: Pace) => Promise<RunOutcome>;

function measureSlow(params: TaskParams, read: Reader): ReturnType<Task> {
  const pace: Pace = { everyBytes: params.pauseEveryBytes ?? 0, pauseMs: params.pauseMs ?? 0 };
  return measureRun(
    () => read(params.warmupBytes ?? 0, pace),
    () => read(params.bytes ?? 0, pace),
  );
}

const readRawPaused: Reader = async (bytes, pace) => {
  const child = nodeSpawn('head', zeroArgs(bytes), RAW_OPTIONS);
  const stdout = child.stdout!;
  let count = 0;
  let sincePause = 0;
  stdout.on('data', (chunk: Buffer) => {
    count += chunk.length;
    sincePause += chunk.length;
    if (sincePause < pace.everyBytes) return;
    sincePause = 0;
    stdout.pause();
    setTimeout(() => stdout.resume(), pace.pauseMs);
  });
  child.stderr!.resume();
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`head exited with ${code}`);
  expectCount('bytes', count, bytes);
  return {};
};

function pullRxproc(delivery: 'reliable' | 'lossy'): Reader {
  return async (bytes, pace) => {
    const { spawn } = await import('../../../src/index.js');
    const proc = spawn('head', zeroArgs(bytes));
    const chunks = proc.stdout.chunks({ delivery });
    let count = 0;
    let sincePause = 0;
    for await (const chunk of chunks) {
      count += chunk.length;
      sincePause += chunk.length;
      if (sincePause < pace.everyBytes) continue;
      sincePause = 0;
      await sleep(pace.pauseMs);
    }
    await expectCleanExit(proc, 'head');
    const dropped = chunks.dropped.bytes;
    // Lossy: what was consumed plus what was dropped is the whole input; reliable drops nothing.
    expectCount('bytes consumed + dropped', count + dropped, bytes);
    if (delivery === 'reliable') expectCount('bytes dropped', dropped, 0);
    return { extras: { consumedMiB: count / MIB, droppedMiB: dropped / MIB } };
  };
}

export const slowTasks: Record<string, Task> = {
  slowRaw: (params) => measureSlow(params, readRawPaused),
  slowReliable: (params) => measureSlow(params, pullRxproc('reliable')),
  slowLossy: (params) => measureSlow(params, pullRxproc('lossy')),
};
