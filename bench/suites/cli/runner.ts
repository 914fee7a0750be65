/**
 * A runner (the `rxproc` CLI, `concurrently`, or plain children) started by a task, and what `/proc` says about it:
 * a child's CPU is not in `process.cpuUsage()`, so it is read from `/proc/<pid>/stat` (utime + stime, in clock
 * ticks of 1/100 s), and its RSS from `/proc/<pid>/status` (VmRSS).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { killQuietly } from '../termination/harness.js';

/** Linux's USER_HZ: the unit of the CPU times in `/proc/<pid>/stat`. */
export const CLOCK_TICKS_PER_S = 100;

/** CPU of a process so far, in ms: its own (`utime + stime`) and that of its children it has waited for. */
export interface ProcCpu {
  readonly selfMs: number;
  readonly reapedChildrenMs: number;
}

/** `undefined` once the process is gone. */
export function procCpu(pid: number): ProcCpu | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces and parentheses): state is field 3, utime 14, stime 15,
  // cutime 16, cstime 17.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = (index: number): number => Number(fields[index - 3]);
  const ms = 1000 / CLOCK_TICKS_PER_S;
  return { selfMs: (tick(14) + tick(15)) * ms, reapedChildrenMs: (tick(16) + tick(17)) * ms };
}

/** VmRSS of `pid` in bytes (or another `kB` field of `/proc/<pid>/status`, such as VmHWM), `undefined` once gone. */
export function procRss(pid: number, field = 'VmRSS'): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  return match === null ? undefined : Number(match[1]) * 1024;
}

/** How a runner ended. */
export interface Ending {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started process: `closed` resolves once it ended and its stdio closed. */
export interface Runner {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly closed: Promise<Ending>;
  /** The largest VmHWM (peak VmRSS) the sampler read, in bytes (0 when not sampled). */
  peakRss(): number;
  /** Stops the RSS sampler; SIGKILLs the process (and its group) when it still runs. */
  cleanup(): void;
}

/**
 * Starts `node <args>` (or `command` when given) in its own process group, sampling its RSS every `rssEveryMs`
 * (0: never).
 */
export function startRunner(
  command: string,
  args: readonly string[],
  stdio: StdioOptions,
  env: NodeJS.ProcessEnv,
  rssEveryMs: number,
): Runner {
  const child = spawn(command, args, { stdio, env, detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${command} did not start`);
  let peak = 0;
  const sample = (): void => {
    const rss = procRss(pid, 'VmHWM'); // the high-water mark: no peak between two samples is missed
    if (rss !== undefined && rss > peak) peak = rss;
  };
  const timer = rssEveryMs > 0 ? setInterval(sample, rssEveryMs) : undefined;
  let done = false;
  const closed = new Promise<Ending>((resolve) => {
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      done = true;
      if (timer !== undefined) clearInterval(timer);
      resolve({ code, signal });
    });
  });
  return {
    child,
    pid,
    closed,
    peakRss: () => peak,
    cleanup() {
      if (timer !== undefined) clearInterval(timer);
      if (!done) killQuietly(-pid);
    },
  };
}

/** A runner whose stdout is drained and counted, and whose stderr's tail is kept for error messages. */
export interface CountingRunner {
  readonly runner: Runner;
  /** Bytes read from its stdout so far. */
  bytes(): number;
  /** The last 2000 characters of its stderr. */
  stderr(): string;
}

/** Starts `node <args>` like {@link startRunner}, with stdout and stderr piped and counted. */
export function startCountingRunner(
  args: readonly string[],
  stdin: 'pipe' | 'ignore',
  env: NodeJS.ProcessEnv,
): CountingRunner {
  const runner = startRunner(process.execPath, args, [stdin, 'pipe', 'pipe'], env, 0);
  let bytes = 0;
  let stderr = '';
  runner.child.stdout!.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  runner.child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  return { runner, bytes: () => bytes, stderr: () => stderr };
}

/** Throws unless the runner ended with `code`. */
export function expectEnding(what: string, ending: Ending, code: number): void {
  if (ending.code !== code)
    throw new Error(`${what} ended with ${ending.signal ?? `code ${ending.code}`}, expected code ${code}`);
}
