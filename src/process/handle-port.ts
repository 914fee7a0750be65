import { from, type Observable } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { TerminationPort } from '../termination/port.js';
import type { Platform, ProcessIdentity, SignalOutcome } from '../platform/types.js';

/** What the port needs from a handle whose leader has started. */
export interface PortSource {
  readonly name: string;
  readonly pid: number;
  readonly platform: Platform;
  readonly exitStatus: () => ExitStatus | undefined;
  readonly exit$: Observable<ExitStatus>;
  /** True once the group was seen empty after the exit: its number may belong to a stranger now. */
  readonly groupGone: () => boolean;
}

/**
 * Wires the termination pipeline to the real platform for one started process. The group is the leader's own
 * (pgid = sid = pid), so every group signal targets a group this library created.
 */
export function createHandlePort(source: PortSource): TerminationPort {
  const { name, pid, platform } = source;
  const root = { pid, pgid: pid, sid: pid };
  return {
    name,
    root,
    exit$: source.exit$,
    exitStatus: source.exitStatus,
    signalGroup: (signal) => (source.groupGone() ? groupGoneOutcome(pid) : platform.signalGroup(pid, signal)),
    snapshotTree: () => platform.snapshotTree(root),
    isGroupAlive: () => (source.groupGone() ? Promise.resolve(false) : platform.isGroupAlive(pid)),
    isAlive: (identity) => platform.isAlive(identity),
    killProcess: (identity) => from(killIfStillSame(platform, identity)),
    describeHoldouts: (signal) =>
      source.groupGone() ? Promise.resolve([]) : platform.describeHoldouts(pid, signal),
  };
}

function groupGoneOutcome(pgid: number): SignalOutcome {
  return { ok: false, code: 'ESRCH', error: new Error(`process group ${pgid} was already seen empty`) };
}

/** Kills one process only if it is still the one that was snapshotted: its pid may have been reused since. */
async function killIfStillSame(platform: Platform, identity: ProcessIdentity): Promise<SignalOutcome> {
  if (!(await platform.isAlive(identity))) {
    return { ok: false, code: 'ESRCH', error: new Error(`process ${identity.pid} is gone or was replaced`) };
  }
  return platform.signalProcess(identity.pid, 'SIGKILL');
}
