/**
 * Case (b): a 10-process tree (a shell and its 9 background `sleep 30`), all 10 confirmed running (untimed), then
 * ended by SIGTERM; timed until every member is gone (a zombie counts as gone).
 */
import type { Task, TaskParams } from '../../lib/types.js';
import { TREE, TREE_CHILDREN, TREE_SCRIPT } from './config.js';
import { killQuietly, measureTerminations } from './harness.js';
import type { Target } from './harness.js';
import { allGone, awaitChildren, untilAllGone } from './procfs.js';
import { expectSignal, startRaw, treeKill } from './raw-child.js';
import { cleanupRxproc, startRxproc, terminateBySigterm } from './rxproc.js';

const ARGS = ['-c', TREE_SCRIPT];

function measure(params: TaskParams, prepare: () => Promise<Target>): ReturnType<Task> {
  return measureTerminations(params.count ?? TREE.count, params.warmup ?? TREE.warmup, prepare);
}

/** The shell and its 9 sleeps, once all of them run. */
async function members(shellPid: number): Promise<number[]> {
  return [shellPid, ...(await awaitChildren(shellPid, 'sleep', TREE_CHILDREN))];
}

function checkAllGone(pids: readonly number[]): () => void {
  return () => {
    if (!allGone(pids)) throw new Error(`a member of the tree ${pids.join(' ')} is still alive`);
  };
}

/** Kills whatever of the tree may still run; the leader's group outlives it while any sleep is in it. */
function cleanupTree(leader: number, pids: readonly number[]): void {
  if (!allGone(pids)) killQuietly(-leader);
}

async function rawTarget(): Promise<Target> {
  const shell = await startRaw('sh', ARGS);
  const pids = await members(shell.pid);
  return {
    terminate: async () => {
      process.kill(-shell.pid, 'SIGTERM');
      const [signal] = await Promise.all([shell.exited, untilAllGone(pids)]);
      expectSignal(signal, 'SIGTERM');
    },
    check: checkAllGone(pids),
    cleanup: () => {
      shell.cleanup();
      cleanupTree(shell.pid, pids);
    },
  };
}

async function rxprocTarget(): Promise<Target> {
  const proc = await startRxproc('sh', ARGS);
  const pid = proc.pid!;
  const pids = await members(pid);
  return {
    terminate: () => terminateBySigterm(proc),
    check: checkAllGone(pids),
    cleanup: () => {
      cleanupRxproc(proc);
      cleanupTree(pid, pids);
    },
  };
}

async function treeKillTarget(): Promise<Target> {
  const shell = await startRaw('sh', ARGS);
  const pids = await members(shell.pid);
  return {
    terminate: async () => {
      await treeKill(shell.pid, 'SIGTERM'); // signals every pid it found, one by one
      // The shell may see its sleeps die first and exit from `wait` with 143 rather than by the signal.
      await Promise.all([shell.exited, untilAllGone(pids)]);
    },
    check: checkAllGone(pids),
    cleanup: () => {
      shell.cleanup();
      cleanupTree(shell.pid, pids);
    },
  };
}

export const treeTasks: Record<string, Task> = {
  treeRaw: (params) => measure(params, rawTarget),
  treeRxproc: (params) => measure(params, rxprocTarget),
  treeTreeKill: (params) => measure(params, treeKillTarget),
};
