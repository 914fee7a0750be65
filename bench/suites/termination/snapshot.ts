/**
 * Case (c): snapshots of one live 10-process tree (started untimed, the same for every variant), each timed and
 * checked to contain all 10 processes. The floor is a bare `/proc` pass: list it and read every `stat` file.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { measureRun } from '../../lib/single-run.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Task, TaskParams } from '../../lib/types.js';
import { SNAPSHOT, TREE_CHILDREN, TREE_SCRIPT } from './config.js';
import { killQuietly } from './harness.js';
import { awaitChildren } from './procfs.js';
import { startRaw } from './raw-child.js';
import { rxproc } from './rxproc.js';

/** Takes one snapshot around `root` and returns the pids it saw (all of them, for the bare scans). */
type Snapshot = (root: number) => Promise<readonly number[]>;

const buffer = Buffer.allocUnsafe(4096);

/** One `/proc/<pid>/stat` into a reused buffer: what a careful hand-written scan does. */
function readStatText(pid: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const length = readSync(fd, buffer, 0, buffer.length, null);
    return buffer.toString('latin1', 0, length);
  } catch {
    return undefined; // exited meanwhile
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function bareScan(read: (pid: string) => string | undefined): number[] {
  const seen: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    if (read(entry) !== undefined) seen.push(Number(entry));
  }
  return seen;
}

function readStatFile(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
}

async function measureSnapshots(params: TaskParams, snapshot: Snapshot): ReturnType<Task> {
  const shell = await startRaw('sh', ['-c', TREE_SCRIPT]);
  try {
    const members = [shell.pid, ...(await awaitChildren(shell.pid, 'sleep', TREE_CHILDREN))];
    const once = async (): Promise<number> => {
      const start = nowNs();
      const seen = await snapshot(shell.pid);
      const timeMs = elapsedMs(start);
      const found = new Set(seen);
      const missing = members.filter((pid) => !found.has(pid));
      if (missing.length > 0) throw new Error(`the snapshot missed ${missing.join(' ')}`);
      return timeMs;
    };
    return await measureRun(
      async () => {
        for (let i = 0; i < (params.warmup ?? SNAPSHOT.warmup); i += 1) await once();
      },
      async () => {
        let timeMs = 0;
        for (let i = 0; i < (params.count ?? SNAPSHOT.count); i += 1) timeMs += await once();
        return { timeMs };
      },
    );
  } finally {
    killQuietly(-shell.pid);
  }
}

export const snapshotTasks: Record<string, Task> = {
  snapshotRaw: (params) => measureSnapshots(params, async () => bareScan(readStatText)),
  snapshotRawReadFile: (params) => measureSnapshots(params, async () => bareScan(readStatFile)),
  snapshotRxproc: async (params) => {
    const { currentPlatform } = await rxproc();
    const platform = currentPlatform();
    return measureSnapshots(params, async (pid) => {
      const tree = await platform.snapshotTree({ pid, pgid: pid, sid: pid });
      return tree.map((proc) => proc.pid);
    });
  },
  snapshotPidtree: async (params) => {
    const { default: pidtree } = await import('pidtree');
    return measureSnapshots(params, (pid) => pidtree(pid, { root: true }));
  },
  snapshotPsList: async (params) => {
    const { default: psList } = await import('ps-list');
    return measureSnapshots(params, async (pid) => {
      const all = await psList();
      return all.filter((proc) => proc.pid === pid || proc.ppid === pid).map((proc) => proc.pid);
    });
  },
};
