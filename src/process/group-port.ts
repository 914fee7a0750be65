import { from, map, type Observable } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { Platform, ProcessIdentity, SignalOutcome, TreeMarker } from '../platform/types.js';
import type { RecentSignal, TerminationPort } from '../termination/port.js';

/** @internal */
/** What the port needs besides the group: the leader's exit, as the handle learns it from Node. */
export interface LeaderExit {
  readonly name: string;
  readonly exit$: Observable<ExitStatus>;
  readonly exitStatus: () => ExitStatus | undefined;
}

/** @internal */
/** What the port needs from a started child's group. */
export interface PortGroup {
  readonly pgid: number;
  readonly marker: TreeMarker | undefined;
  readonly isGone: boolean;
  send(signal: NodeJS.Signals): SignalOutcome;
  /** The last parent signal forwarded to the group, so a termination right after does not repeat it. */
  recentSignal?(): RecentSignal | undefined;
}

/** @internal */
/**
 * Wires the termination pipeline to the real platform for one started child. The group is the leader's own
 * (pgid = sid = pid), so every group signal targets a group this library created; once the group was seen empty,
 * its number may belong to a stranger, so it is never signalled or probed again.
 */
export function createGroupPort(group: PortGroup, leader: LeaderExit, platform: Platform): TerminationPort {
  const { pgid } = group;
  const root = { pid: pgid, pgid, sid: pgid };
  return {
    name: leader.name,
    root,
    exit$: leader.exit$,
    exitStatus: leader.exitStatus,
    signalGroup: (signal) => group.send(signal),
    recentSignal: () => group.recentSignal?.(),
    snapshotTree: () => platform.snapshotTree(root, group.marker),
    findMarked: () => (group.marker === undefined ? Promise.resolve([]) : platform.findMarked(group.marker)),
    isGroupAlive: () => (group.isGone ? Promise.resolve(false) : platform.isGroupAlive(pgid)),
    isAlive: (identity) => platform.isAlive(identity),
    killProcess: (identity) => killIfStillSame(platform, identity),
    describeHoldouts: (signal) =>
      group.isGone ? Promise.resolve([]) : platform.describeHoldouts(pgid, signal),
  };
}

/** Kills one process only if it is still the one that was snapshotted: its pid may have been reused since. */
function killIfStillSame(platform: Platform, identity: ProcessIdentity): Observable<SignalOutcome> {
  return from(platform.isAlive(identity)).pipe(
    map((alive): SignalOutcome =>
      alive
        ? platform.signalProcess(identity.pid, 'SIGKILL')
        : { ok: false, code: 'ESRCH', error: new Error(`process ${identity.pid} is gone or was replaced`) },
    ),
  );
}
