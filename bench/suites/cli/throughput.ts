/**
 * Case (a): four services each printing `seq 1 <count>`, the runner's stdout a file. The run is timed from the
 * spawn to the runner's exit; then, untimed, the file is read back and every line checked: `<prefix><n>` intact,
 * each service's numbers complete and in order. The CPU of the runner and everything it ran is read from the
 * worker's reaped-children time in `/proc/self/stat` (the runner is reaped by the worker, its services by it).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureRun } from '../../lib/single-run.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement, Task, TaskParams } from '../../lib/types.js';
import { CLI_ENTRY, CONCURRENTLY_ENTRY, THROUGHPUT, runnerEnv, seqCommand } from './config.js';
import { expectEnding, procCpu, startRunner } from './runner.js';

/** How one line of a runner's output is read: a service's text, a lifecycle line, or neither (garbled). */
type LineReading = { readonly service: string; readonly text: string } | 'lifecycle' | undefined;

interface ThroughputVariant {
  readonly name: string;
  /** Runs the `commands` with stdout into `fd`; resolves with the runner's peak RSS (0 without a runner). */
  run(commands: readonly string[], fd: number): Promise<number>;
  /** Reads one line of the output; `undefined` for the raw floor, whose lines carry no service. */
  readonly parse?: (line: string) => LineReading;
}

const RSS_EVERY_MS = 100;

async function runNode(what: string, args: readonly string[], fd: number): Promise<number> {
  const runner = startRunner(process.execPath, args, ['ignore', fd, 'inherit'], runnerEnv(), RSS_EVERY_MS);
  try {
    expectEnding(what, await runner.closed, 0);
    return runner.peakRss();
  } finally {
    runner.cleanup();
  }
}

const raw: ThroughputVariant = {
  name: 'raw',
  async run(commands, fd) {
    const children = commands.map((command) =>
      spawn('sh', ['-c', command], { stdio: ['ignore', fd, 'inherit'], env: runnerEnv() }),
    );
    const endings = await Promise.all(children.map((child) => once(child, 'close')));
    for (const [code] of endings as [number | null][])
      if (code !== 0) throw new Error(`seq ended with ${code}`);
    return 0;
  },
};

/** `[0] 123`, and the exit line `[0] seq 1 1000000 exited with code 0`. */
const concurrently: ThroughputVariant = {
  name: 'concurrently',
  run: (commands, fd) => runNode('concurrently', [CONCURRENTLY_ENTRY, ...commands], fd),
  parse(line) {
    const close = line.indexOf('] ');
    if (line[0] !== '[' || close === -1) return undefined;
    const text = line.slice(close + 2);
    if (text.includes(' exited with code ')) return 'lifecycle';
    return { service: line.slice(1, close), text };
  },
};

/** `seq-2 │ 123` (names padded), stderr `┃`, lifecycle `seq-2 ◆ exited 0`. */
const rxproc: ThroughputVariant = {
  name: 'rxproc',
  run: (commands, fd) => runNode('rxproc', [CLI_ENTRY, 'up', '--ui', 'lines', '--', ...commands], fd),
  parse(line) {
    const bar = line.indexOf(' │ ');
    if (bar === -1) return line.includes(' ◆ ') ? 'lifecycle' : undefined;
    return { service: line.slice(0, bar).trimEnd(), text: line.slice(bar + 3) };
  },
};

const DIGITS = /^[1-9]\d*$/;

interface Check {
  readonly linesIntact: number;
  readonly linesLostOrSplit: number;
  readonly linesGarbled: number;
  readonly linesOutOfOrder: number;
  readonly servicesSeen: number;
}

/**
 * Every line must be a service's `<n>`: per service, the distinct n in 1..count seen are intact; the rest of the
 * `services × count` are lost or split. A line that is no `<prefix><n>` (nor a lifecycle line), a repeated n or one
 * out of range is garbled (a split line shows up as two garbled halves, or as digits glued to another line); an n
 * smaller than the service's previous one is out of order.
 */
function check(text: string, parse: (line: string) => LineReading, services: number, count: number): Check {
  const seen = new Map<string, { bits: Uint8Array; last: number; distinct: number }>();
  let garbled = 0;
  let outOfOrder = 0;
  let start = 0;
  if (text.length > 0 && !text.endsWith('\n')) garbled += 1; // a last line without its newline
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const reading = parse(line);
    if (reading === 'lifecycle') continue;
    if (reading === undefined || !DIGITS.test(reading.text)) {
      garbled += 1;
      continue;
    }
    let entry = seen.get(reading.service);
    if (entry === undefined) {
      entry = { bits: new Uint8Array(count + 1), last: 0, distinct: 0 };
      seen.set(reading.service, entry);
    }
    const n = Number(reading.text);
    if (n > count || entry.bits[n] === 1) {
      garbled += 1;
      continue;
    }
    entry.bits[n] = 1;
    entry.distinct += 1;
    if (n < entry.last) outOfOrder += 1;
    entry.last = n;
  }
  const intact = [...seen.values()].reduce((sum, entry) => sum + entry.distinct, 0);
  return {
    linesIntact: intact,
    linesLostOrSplit: services * count - intact,
    linesGarbled: garbled,
    linesOutOfOrder: outOfOrder,
    servicesSeen: seen.size,
  };
}

/** Bytes `seq 1 <count>` prints. */
function seqBytes(count: number): number {
  let bytes = 0;
  for (let digits = 1, low = 1; low <= count; digits += 1, low *= 10)
    bytes += (Math.min(count, low * 10 - 1) - low + 1) * (digits + 1);
  return bytes;
}

async function measureThroughput(params: TaskParams, variant: ThroughputVariant): Promise<Measurement> {
  const services = params.services ?? THROUGHPUT.services;
  const count = params.count ?? THROUGHPUT.count;
  const warmupCount = params.warmupCount ?? THROUGHPUT.warmupCount;
  const dir = mkdtempSync(join(tmpdir(), 'rxproc-bench-cli-'));
  const commands = (n: number): string[] => Array.from({ length: services }, () => seqCommand(n));
  const runInto = async (
    file: string,
    n: number,
  ): Promise<{ peakRss: number; ms: number; cpuMs: number }> => {
    const fd = openSync(file, 'w');
    try {
      const cpuBefore = procCpu(process.pid)?.reapedChildrenMs ?? Number.NaN;
      const start = nowNs();
      const peakRss = await variant.run(commands(n), fd);
      const ms = elapsedMs(start);
      const cpuMs = (procCpu(process.pid)?.reapedChildrenMs ?? Number.NaN) - cpuBefore;
      return { peakRss, ms, cpuMs };
    } finally {
      closeSync(fd);
    }
  };
  let peakRss = 0;
  try {
    const measurement = await measureRun(
      () => runInto(join(dir, 'warmup.txt'), warmupCount), // loads node, the runner's modules and seq from disk
      async () => {
        const file = join(dir, 'out.txt');
        const result = await runInto(file, count);
        peakRss = result.peakRss;
        const bytes = statSync(file).size;
        const figures: Record<string, number> = {
          cpuMsRunnerAndChildren: result.cpuMs,
          outputMB: bytes / 1e6,
        };
        if (variant.parse === undefined) {
          const expected = services * seqBytes(count);
          if (bytes !== expected) throw new Error(`raw: ${bytes} bytes written, expected ${expected}`);
        } else {
          Object.assign(figures, check(readFileSync(file, 'utf8'), variant.parse, services, count));
        }
        return { timeMs: result.ms, extras: figures };
      },
    );
    // The RSS column of this case is the runner's own peak (VmRSS), not the worker's.
    return { ...measurement, rssGrowthBytes: peakRss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const throughputTasks: Record<string, Task> = {
  throughputRaw: (params) => measureThroughput(params, raw),
  throughputConcurrently: (params) => measureThroughput(params, concurrently),
  throughputRxproc: (params) => measureThroughput(params, rxproc),
};
