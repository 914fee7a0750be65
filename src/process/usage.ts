import { type Observable, filter, map, pairwise } from 'rxjs';
import type { ProcessRow, ProcessTable, TableScan } from '../platform/process-table.js';
import { isLiveState } from '../platform/tree.js';
import type { ProcessIdentity, TreeMarker } from '../platform/types.js';

/** CPU and memory of one process or a set of them, over one sampling interval. */
export interface UsageFigures {
  /** CPU time used during the interval, as a percentage of one core (a process busy on two cores reads 200). */
  readonly cpuPercent: number;
  /** Resident memory at the end of the interval, in bytes. */
  readonly rssBytes: number;
}

/** What `proc.usage()` and `proc.usage$()` report: the leader, and its whole tree. */
export interface ProcessUsage extends UsageFigures {
  /** The leader's group plus every live process carrying its marker (escapees included). */
  readonly tree: UsageFigures & {
    /** How many processes the tree has now. */
    readonly processes: number;
  };
  /** The length of the sampling interval the CPU figures cover, in milliseconds. */
  readonly intervalMs: number;
}

/** @internal */
/** Whose usage to measure. */
export interface UsageTarget {
  readonly leader: ProcessIdentity;
  readonly pgid: number;
  readonly marker: TreeMarker | undefined;
}

/** @internal */
/**
 * Usage every `intervalMs`, from the shared table's ticker for that interval: a hundred children sampled at the
 * same interval share one scan per interval. The first value comes after two scans. Nothing is emitted for an
 * interval in which the leader is not alive, or where the platform's table has no CPU or memory figures.
 */
export function usage$(
  table: ProcessTable,
  target: UsageTarget,
  intervalMs: number,
): Observable<ProcessUsage> {
  return table.watch(intervalMs).pipe(
    pairwise(),
    map(([previous, current]) => usageBetween(table, previous, current, target)),
    filter((usage): usage is ProcessUsage => usage !== undefined),
  );
}

/** @internal */
/** The usage between two scans, or `undefined` when the leader is not in the newer one. */
export function usageBetween(
  table: ProcessTable,
  previous: TableScan,
  current: TableScan,
  target: UsageTarget,
): ProcessUsage | undefined {
  const elapsed = current.at - previous.at;
  const leader = current.byPid.get(target.leader.pid);
  if (elapsed <= 0 || leader === undefined || leader.startTime !== target.leader.startTime) return undefined;
  const members = new Map<number, ProcessRow>();
  for (const row of current.rows) {
    if (row.pgid === target.pgid && isLiveState(row.state)) members.set(row.pid, row);
  }
  const { marker } = target;
  if (marker !== undefined) {
    for (const row of table.carriersOf(current, marker.name, marker.token, marker.leader)) {
      if (isLiveState(row.state)) members.set(row.pid, row);
    }
  }
  members.set(leader.pid, leader);
  const own = figures([leader], previous, elapsed);
  const tree = figures([...members.values()], previous, elapsed);
  if (own === undefined || tree === undefined) return undefined;
  return { ...own, tree: { ...tree, processes: members.size }, intervalMs: elapsed };
}

function figures(
  rows: readonly ProcessRow[],
  previous: TableScan,
  elapsed: number,
): UsageFigures | undefined {
  let cpuMs = 0;
  let rssBytes = 0;
  for (const row of rows) {
    if (row.cpuMs === undefined || row.rssBytes === undefined) return undefined;
    const before = previous.byPid.get(row.pid);
    // A process that was not there before (or is another one now) started during the interval: all its CPU time
    // falls inside it.
    const base = before !== undefined && before.startTime === row.startTime ? (before.cpuMs ?? 0) : 0;
    cpuMs += Math.max(0, row.cpuMs - base);
    rssBytes += row.rssBytes;
  }
  return { cpuPercent: (cpuMs / elapsed) * 100, rssBytes };
}
