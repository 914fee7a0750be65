/**
 * Cases (b) and (d): a tree (a shell and its background `sleep 30`s: 10 processes in (b), 3 in (d)), every member
 * confirmed running (untimed), then ended by SIGTERM; timed until every member is gone (a zombie counts as gone).
 */
import type { Task, TaskParams } from '../../lib/types.js';
import {
  SMALL_TREE,
  SMALL_TREE_CHILDREN,
  SMALL_TREE_SCRIPT,
  TREE,
  TREE_CHILDREN,
  TREE_SCRIPT,
} from './config.js';
import { killQuietly, measureTerminations } from './harness.js';
import type { Target } from './harness.js';
import { allGone, awaitChildren, untilAllGone } from './procfs.js';
import { expectSignal, startRaw, treeKill } from './raw-child.js';
import { cleanupRxproc, startRxproc, terminateBySigterm } from './rxproc.js';

/** One tree shape: the shell script, how many background sleeps it starts, and the case's run sizes. */
interface Shape {
  readonly args: readonly string[];
  readonly children: number;
  readonly defaults: { readonly count: number; readonly warmup: number };
}

const TEN: Shape = { args: ['-c', TREE_SCRIPT], children: TREE_CHILDREN, defaults: TREE };
const THREE: Shape = { args: ['-c', SMALL_TREE_SCRIPT], children: SMALL_TREE_CHILDREN, defaults: SMALL_TREE };

function measure(
  shape: Shape,
  params: TaskParams,
  prepare: (shape: Shape) => Promise<Target>,
): ReturnType<Task> {
  const { count, warmup } = shape.defaults;
  return measureTerminations(params.count ?? count, params.warmup ?? warmup, () => prepare(shape));
}

/** The shell and its sleeps, once all of them run. */
async function members(shape: Shape, shellPid: number): Promise<number[]> {
  return [shellPid, ...(await awaitChildren(shellPid, 'sleep', shape.children))];
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

async function rawTarget(shape: Shape): Promise<Target> {
  const shell = await startRaw('sh', shape.args);
  const pids = await members(shape, shell.pid);
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

async function rxprocTarget(shape: Shape): Promise<Target> {
  const proc = await startRxproc('sh', shape.args);
  const pid = proc.pid!;
  const pids = await members(shape, pid);
  return {
    terminate: () => terminateBySigterm(proc),
    check: checkAllGone(pids),
    cleanup: () => {
      cleanupRxproc(proc);
      cleanupTree(pid, pids);
    },
  };
}

async function treeKillTarget(shape: Shape): Promise<Target> {
  const shell = await startRaw('sh', shape.args);
  const pids = await members(shape, shell.pid);
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
  treeRaw: (params) => measure(TEN, params, rawTarget),
  treeRxproc: (params) => measure(TEN, params, rxprocTarget),
  treeTreeKill: (params) => measure(TEN, params, treeKillTarget),
  smallTreeRaw: (params) => measure(THREE, params, rawTarget),
  smallTreeRxproc: (params) => measure(THREE, params, rxprocTarget),
};
