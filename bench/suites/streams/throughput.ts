/** Case (a): 1 GiB of `head -c` through raw `'data'` events and through `chunks$`, every byte counted. */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import { expectCount, measureRun } from '../../lib/single-run.js';
import type { Task, TaskParams } from '../../lib/types.js';
import { RAW_OPTIONS, zeroArgs } from './config.js';
import { expectCleanExit } from './rxproc.js';

function sizes(params: TaskParams): [number, number] {
  return [params.bytes ?? 0, params.warmupBytes ?? 0];
}

async function readRaw(bytes: number): Promise<void> {
  const child = nodeSpawn('head', zeroArgs(bytes), RAW_OPTIONS);
  let count = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    count += chunk.length;
  });
  child.stderr!.resume(); // rxproc drains stderr too
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`head exited with ${code}`);
  expectCount('bytes', count, bytes);
}

async function readChunks$(bytes: number): Promise<void> {
  const { spawn } = await import('../../../src/index.js');
  const proc = spawn('head', zeroArgs(bytes));
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    proc.stdout.chunks$.subscribe({
      next: (chunk) => {
        count += chunk.length;
      },
      error: reject,
      complete: resolve,
    });
  });
  await expectCleanExit(proc, 'head');
  expectCount('bytes', count, bytes);
}

export const throughputTasks: Record<string, Task> = {
  async throughputRaw(params) {
    const [bytes, warmup] = sizes(params);
    return measureRun(
      () => readRaw(warmup),
      () => readRaw(bytes).then(() => undefined),
    );
  },

  /** The raw loop in a worker that has loaded rxproc (unused): separates a module-load effect from stream costs. */
  async throughputRawRxprocLoaded(params) {
    await import('../../../src/index.js');
    const [bytes, warmup] = sizes(params);
    return measureRun(
      () => readRaw(warmup),
      () => readRaw(bytes).then(() => undefined),
    );
  },

  async throughputRxproc(params) {
    const [bytes, warmup] = sizes(params);
    return measureRun(
      () => readChunks$(warmup),
      () => readChunks$(bytes).then(() => undefined),
    );
  },
};
