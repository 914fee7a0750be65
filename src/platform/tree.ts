/** Picking the members of a process tree out of one listing of every process. Pure, so every OS shares it. */
import type { ProcessIdentity, ProcessInfo, TreeRoot } from './types.js';

/** @internal */
/**
 * Every process of `all` that is in the root's group, in its session, or reachable from the root pid by parent
 * links, in the order of `all`. Computed from one listing so the three criteria describe the same instant.
 * A `pgid`/`sid` of `undefined` (a platform that cannot see it) never matches.
 */
export function selectTree(all: readonly ProcessInfo[], root: TreeRoot): ProcessInfo[] {
  const children = new Map<number, number[]>();
  for (const proc of all) {
    // A pid that is its own parent (pid 0 on some systems) would loop the walk below.
    if (proc.ppid === proc.pid) continue;
    const siblings = children.get(proc.ppid);
    if (siblings === undefined) children.set(proc.ppid, [proc.pid]);
    else siblings.push(proc.pid);
  }
  const descendants = new Set<number>([root.pid]);
  const queue = [root.pid];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of children.get(next) ?? []) {
      if (descendants.has(child)) continue;
      descendants.add(child);
      queue.push(child);
    }
  }
  return all.filter(
    (proc) =>
      descendants.has(proc.pid) ||
      (proc.pgid !== undefined && proc.pgid === root.pgid) ||
      (proc.sid !== undefined && proc.sid === root.sid),
  );
}

/** @internal */
/** True when `current` (a fresh read of the pid) is still the process `identity` named, and not a zombie. */
export function isSameLiveProcess(current: ProcessInfo | undefined, identity: ProcessIdentity): boolean {
  return current !== undefined && current.startTime === identity.startTime && isLiveState(current.state);
}

/** @internal */
/** True when the state means the process still runs code (zombies and dead entries do not). */
export function isLiveState(state: ProcessInfo['state']): boolean {
  return state !== 'zombie' && state !== 'dead';
}

/** @internal */
/** A parent link as pidtree reports it; the root of a vanished process comes back without `ppid`. */
export interface PpidLink {
  readonly pid: number;
  readonly ppid?: number;
}

/** @internal */
/**
 * Turns pidtree's links into snapshot entries for a platform that sees nothing else: no group, session, state or
 * start time. A link without `ppid` is a root that no longer exists (pidtree still walks its children), so it is
 * left out.
 */
export function infoFromPpidLinks(links: readonly PpidLink[]): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const link of links) {
    if (typeof link.ppid !== 'number') continue;
    found.push({
      pid: link.pid,
      ppid: link.ppid,
      pgid: undefined,
      sid: undefined,
      state: 'unknown',
      startTime: '',
      command: '',
    });
  }
  return found;
}
