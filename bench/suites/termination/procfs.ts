/**
 * The bench's own view of `/proc`, independent of rxproc: whether processes are gone (a zombie counts as gone, as
 * in rxproc's verification) and whether a tree has fully started.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setTimeout as sleep } from 'node:timers/promises';

interface Stat {
  readonly ppid: number;
  readonly state: string;
  readonly command: string;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return {
    state: fields[0] ?? '',
    ppid: Number(fields[1]),
    command: text.slice(text.indexOf('(') + 1, close),
  };
}

/** True when no pid of `pids` is alive: absent, zombie or dead. */
export function allGone(pids: readonly number[]): boolean {
  return pids.every((pid) => {
    const state = readStat(pid)?.state;
    return state === undefined || state === 'Z' || state === 'X' || state === 'x';
  });
}

/** Polls every event-loop turn (so `'exit'` events still arrive) until every pid is gone. */
export async function untilAllGone(pids: readonly number[]): Promise<void> {
  while (!allGone(pids)) await nextTurn();
}

/** The pids of `parent`'s children that already run `command` (a forked shell has not exec'd yet). */
function childrenRunning(parent: number, command: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isSafeInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat?.ppid === parent && stat.command === command && stat.state !== 'Z') found.push(pid);
  }
  return found;
}

/** Waits (untimed setup, 5 s at most) until `parent` has `count` children running `command`; returns their pids. */
export async function awaitChildren(parent: number, command: string, count: number): Promise<number[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = childrenRunning(parent, command);
    if (found.length === count) return found;
    if (found.length > count || Date.now() > deadline) {
      throw new Error(`process ${parent} has ${found.length} ${command} children, expected ${count}`);
    }
    await sleep(2);
  }
}
