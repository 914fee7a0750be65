/**
 * The bench's own view of `/proc` for the `many` suite, independent of rxproc: one reused buffer per read (as a
 * careful hand-written script does), whether a process is gone (a zombie counts as gone, as in rxproc's
 * verification), and whether a whole forest of trees has started.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Stat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  readonly command: string;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
  readonly rssPages: number;
}

const buffer = Buffer.allocUnsafe(4096);

/** `/proc/<pid>/stat`, parsed; `undefined` when the process is gone. */
export function readStat(pid: number): Stat | undefined {
  let text: string;
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const length = readSync(fd, buffer, 0, buffer.length, null);
    text = buffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const close = text.lastIndexOf(')');
  // Fields from 3 (state) on; field n of proc(5) is index n − 3.
  const fields = text.slice(close + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    command: text.slice(text.indexOf('(') + 1, close),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    rssPages: Number(fields[21]),
  };
}

function isGone(state: string | undefined): boolean {
  return state === undefined || state === 'Z' || state === 'X' || state === 'x';
}

/** True when no pid of `pids` is alive: absent, zombie or dead. */
export function allGone(pids: readonly number[]): boolean {
  return pids.every((pid) => isGone(readStat(pid)?.state));
}

/** The pids of `pids` still alive (not absent, not zombies). */
export function stillAlive(pids: readonly number[]): number[] {
  return pids.filter((pid) => !isGone(readStat(pid)?.state));
}

/** One tree as confirmed running: its leader and every member, leader first. */
export interface TreePids {
  readonly leader: number;
  readonly pids: readonly number[];
}

/** One pass over `/proc`: every live process, by parent pid. */
function liveByParent(): Map<number, Stat[]> {
  const byParent = new Map<number, Stat[]>();
  for (const entry of readdirSync('/proc')) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const stat = readStat(Number(entry));
    if (stat === undefined || isGone(stat.state)) continue;
    const siblings = byParent.get(stat.ppid);
    if (siblings === undefined) byParent.set(stat.ppid, [stat]);
    else siblings.push(stat);
  }
  return byParent;
}

/**
 * Waits (untimed setup, `timeoutMs` at most) until every leader runs and has `children` children running
 * `command` in its own group; one `/proc` pass per poll, however many trees. Returns every tree's pids.
 */
export async function awaitForest(
  leaders: readonly number[],
  command: string,
  children: number,
  timeoutMs = 20_000,
): Promise<TreePids[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const byParent = liveByParent();
    const trees: TreePids[] = [];
    let short = 0;
    for (const leader of leaders) {
      const kids = (byParent.get(leader) ?? []).filter((s) => s.command === command && s.pgid === leader);
      if (kids.length > children) throw new Error(`tree ${leader} has ${kids.length} ${command} children`);
      if (kids.length < children) short += 1;
      else trees.push({ leader, pids: [leader, ...kids.map((s) => s.pid)] });
    }
    if (short === 0) {
      const leaderAlive = stillAlive(leaders).length;
      if (leaderAlive !== leaders.length)
        throw new Error(`${leaders.length - leaderAlive} tree leaders are gone`);
      return trees;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${short} of ${leaders.length} trees did not start all ${children} ${command} children`,
      );
    }
    await sleep(20);
  }
}

/** Throws unless every process of every tree is gone (untimed check after a termination). */
export function checkForestGone(trees: readonly TreePids[]): void {
  const alive = stillAlive(trees.flatMap((tree) => tree.pids));
  if (alive.length > 0)
    throw new Error(`${alive.length} processes still alive: ${alive.slice(0, 10).join(' ')}`);
}
