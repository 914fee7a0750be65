/**
 * Case (b): `seq 1 N` as push lines: the hand-written split loop on `'data'` (the floor), `lines$`, readline, and
 * spawn-rx's string Observable through the same split loop. Every line and every character is counted.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { expectCount, measureRun } from '../../lib/single-run.js';
import type { Task, TaskParams } from '../../lib/types.js';
import { RAW_OPTIONS, seqArgs, seqChars } from './config.js';
import { expectCleanExit } from './rxproc.js';
import { ByteSplitter, LineCounter, TextSplitter } from './splitter.js';

type Reader = (count: number) => Promise<LineCounter>;

function expectLines(counter: LineCounter, count: number): void {
  expectCount('lines', counter.lines, count);
  expectCount('characters', counter.chars, seqChars(count));
}

/** Warm-up at a small N, then the measured run at the full N; both checked. */
function measureLines(params: TaskParams, read: Reader): ReturnType<Task> {
  const count = params.count ?? 0;
  const warmupCount = params.warmupCount ?? 0;
  const checked = async (n: number): Promise<undefined> => {
    expectLines(await read(n), n);
    return undefined;
  };
  return measureRun(
    () => checked(warmupCount),
    () => checked(count),
  );
}

async function closedWith0(child: ReturnType<typeof nodeSpawn>): Promise<void> {
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`seq exited with ${code}`);
}

export const readSplit: Reader = async (count) => {
  const counter = new LineCounter();
  const splitter = new ByteSplitter(counter.add);
  const child = nodeSpawn('seq', seqArgs(count), RAW_OPTIONS);
  child.stdout!.on('data', (chunk: Buffer) => splitter.push(chunk));
  child.stderr!.resume();
  await closedWith0(child);
  splitter.end();
  return counter;
};

const readLines$: Reader = async (count) => {
  const { spawn } = await import('../../../src/index.js');
  const counter = new LineCounter();
  const proc = spawn('seq', seqArgs(count));
  await new Promise<void>((resolve, reject) => {
    proc.stdout.lines$.subscribe({ next: counter.add, error: reject, complete: resolve });
  });
  await expectCleanExit(proc, 'seq');
  return counter;
};

const readReadline: Reader = async (count) => {
  const counter = new LineCounter();
  const child = nodeSpawn('seq', seqArgs(count), RAW_OPTIONS);
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  lines.on('line', counter.add);
  child.stderr!.resume();
  await Promise.all([once(lines, 'close'), closedWith0(child)]);
  return counter;
};

const readSpawnRx: Reader = async (count) => {
  const { spawn } = await import('spawn-rx');
  const counter = new LineCounter();
  const splitter = new TextSplitter(counter.add);
  await new Promise<void>((resolve, reject) => {
    spawn('seq', seqArgs(count), {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      split: false,
    }).subscribe({
      next: (text) => splitter.push(text),
      error: reject,
      complete: resolve,
    });
  });
  splitter.end();
  return counter;
};

export const pushLinesTasks: Record<string, Task> = {
  pushLinesRaw: (params) => measureLines(params, readSplit),
  pushLinesRxproc: (params) => measureLines(params, readLines$),
  pushLinesReadline: (params) => measureLines(params, readReadline),
  pushLinesSpawnRx: (params) => measureLines(params, readSpawnRx),
};
