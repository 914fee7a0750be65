/**
 * Case (a): one handler-less `sleep 30`, freshly spawned and confirmed running (untimed), then ended by SIGTERM;
 * timed from the call to the confirmed end.
 */
import { once } from 'node:events';
import type { Task, TaskParams } from '../../lib/types.js';
import { SINGLE } from './config.js';
import { killQuietly, measureTerminations } from './harness.js';
import type { Target } from './harness.js';
import { allGone } from './procfs.js';
import { expectSignal, startRaw, treeKill } from './raw-child.js';
import { cleanupRxproc, startRxproc, terminateBySigterm } from './rxproc.js';

const COMMAND = 'sleep';
const ARGS = ['30'];

function measure(params: TaskParams, prepare: () => Promise<Target>): ReturnType<Task> {
  return measureTerminations(params.count ?? SINGLE.count, params.warmup ?? SINGLE.warmup, prepare);
}

function expectGone(pid: number): void {
  if (!allGone([pid])) throw new Error(`process ${pid} is still alive`);
}

async function rawTarget(): Promise<Target> {
  const child = await startRaw(COMMAND, ARGS);
  return {
    terminate: async () => {
      process.kill(-child.pid, 'SIGTERM');
      expectSignal(await child.exited, 'SIGTERM');
    },
    check: () => expectGone(child.pid),
    cleanup: child.cleanup,
  };
}

async function rxprocTarget(): Promise<Target> {
  const proc = await startRxproc(COMMAND, ARGS);
  const pid = proc.pid!;
  return {
    terminate: () => terminateBySigterm(proc),
    check: () => expectGone(pid),
    cleanup: () => cleanupRxproc(proc),
  };
}

async function execaTarget(): Promise<Target> {
  const { execa } = await import('execa');
  const subprocess = execa(COMMAND, ARGS, { stdin: 'ignore', detached: true, reject: false });
  await once(subprocess, 'spawn');
  const pid = subprocess.pid!;
  return {
    terminate: async () => {
      subprocess.kill(); // killSignal default: SIGTERM
      const result = await subprocess;
      expectSignal(result.signal, 'SIGTERM');
    },
    check: () => expectGone(pid),
    cleanup: () => {
      if (subprocess.exitCode === null && subprocess.signalCode === null) killQuietly(pid);
    },
  };
}

async function treeKillTarget(): Promise<Target> {
  const child = await startRaw(COMMAND, ARGS);
  return {
    terminate: async () => {
      const [, signal] = await Promise.all([treeKill(child.pid, 'SIGTERM'), child.exited]);
      expectSignal(signal, 'SIGTERM');
    },
    check: () => expectGone(child.pid),
    cleanup: child.cleanup,
  };
}

export const singleTasks: Record<string, Task> = {
  singleRaw: (params) => measure(params, rawTarget),
  singleRxproc: (params) => measure(params, rxprocTarget),
  singleExeca: (params) => measure(params, execaTarget),
  singleTreeKill: (params) => measure(params, treeKillTarget),
};
