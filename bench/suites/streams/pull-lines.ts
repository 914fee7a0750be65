/**
 * Case (c): `seq 1 N` pulled line by line with `for await`: raw `for await` over the stdout chunks through the
 * split loop (the floor), rxproc's `lines()`, and execa 9's subprocess iteration. Every line is counted.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import { expectCount, measureRun } from '../../lib/single-run.js';
import type { Task, TaskParams } from '../../lib/types.js';
import { RAW_OPTIONS, seqArgs, seqChars } from './config.js';
import { expectCleanExit } from './rxproc.js';
import { ByteSplitter, LineCounter } from './splitter.js';

type Reader = (count: number) => Promise<LineCounter>;

function measureLines(params: TaskParams, read: Reader): ReturnType<Task> {
  const checked = async (n: number): Promise<undefined> => {
    const counter = await read(n);
    expectCount('lines', counter.lines, n);
    expectCount('characters', counter.chars, seqChars(n));
    return undefined;
  };
  return measureRun(
    () => checked(params.warmupCount ?? 0),
    () => checked(params.count ?? 0),
  );
}

const pullSplit: Reader = async (count) => {
  const counter = new LineCounter();
  const splitter = new ByteSplitter(counter.add);
  const child = nodeSpawn('seq', seqArgs(count), RAW_OPTIONS);
  child.stderr!.resume();
  const closed = once(child, 'close');
  for await (const chunk of child.stdout!) splitter.push(chunk as Buffer);
  splitter.end();
  const [code] = (await closed) as [number | null];
  if (code !== 0) throw new Error(`seq exited with ${code}`);
  return counter;
};

const pullLines: Reader = async (count) => {
  const { spawn } = await import('../../../src/index.js');
  const counter = new LineCounter();
  const proc = spawn('seq', seqArgs(count));
  for await (const line of proc.stdout.lines({ delivery: 'reliable' })) counter.add(line);
  await expectCleanExit(proc, 'seq');
  return counter;
};

const pullExeca: Reader = async (count) => {
  const { execa } = await import('execa');
  const counter = new LineCounter();
  // buffer: false, as execa's docs advise when iterating: nothing is kept besides the lines handed out.
  const subprocess = execa('seq', seqArgs(count), { stdin: 'ignore', detached: true, buffer: false });
  for await (const line of subprocess) counter.add(line);
  const result = await subprocess;
  if (result.exitCode !== 0) throw new Error(`seq exited with ${result.exitCode}`);
  return counter;
};

export const pullLinesTasks: Record<string, Task> = {
  pullLinesRaw: (params) => measureLines(params, pullSplit),
  pullLinesRxproc: (params) => measureLines(params, pullLines),
  pullLinesExeca: (params) => measureLines(params, pullExeca),
};
