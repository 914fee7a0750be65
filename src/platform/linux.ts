/**
 * The Linux platform: signals through `kill(2)` on process groups, everything else read straight from `/proc`, which
 * has group, session, parent and a start time in clock ticks for every process in one cheap pass.
 */
import { type SignalName, signalNumber } from '../core/signals.js';
import { firstValueFrom } from 'rxjs';
import { linuxTableSource } from './linux-table.js';
import { ProcessTable } from './process-table.js';
import { readSignalMasksSync, readStatSync, type SignalMasks } from './procfs.js';
import { probeSignal, refused, trySignal, unsafeTargetReason } from './signal-outcome.js';
import { isLiveState, isSameLiveProcess, selectTree } from './tree.js';
import type {
  Holdout,
  Platform,
  ProcessIdentity,
  ProcessInfo,
  SignalDisposition,
  SignalOutcome,
  TreeMarker,
  TreeRoot,
} from './types.js';
import { spawnDetached } from './spawn-child.js';

/** @internal */
/**
 * Creates the Linux platform. The caller's own process group is read once here, so that no later call can
 * signal the group of the application (or of the test runner) that uses the library.
 */
export function createLinuxPlatform(processTable = new ProcessTable(linuxTableSource())): Platform {
  const ownPid = process.pid;
  const ownPgid = readStatSync(ownPid)?.pgid;
  const scan = () => firstValueFrom(processTable.fresh());

  async function findMarked(marker: TreeMarker): Promise<ProcessInfo[]> {
    return processTable
      .carriersOf(await scan(), marker.name, marker.token, marker.leader)
      .filter((row) => isLiveState(row.state));
  }

  function signalGroup(pgid: number, signal: SignalName): SignalOutcome {
    const reason = unsafeTargetReason(pgid, [ownPid, ownPgid]);
    if (reason !== undefined) return refused(reason);
    return trySignal(() => process.kill(-pgid, signal));
  }

  function signalProcess(pid: number, signal: SignalName): SignalOutcome {
    const reason = unsafeTargetReason(pid, [ownPid]);
    if (reason !== undefined) return refused(reason);
    return trySignal(() => process.kill(pid, signal));
  }

  function isAliveSync(identity: ProcessIdentity): boolean {
    return isSameLiveProcess(readStatSync(identity.pid), identity);
  }

  return {
    os: 'linux',
    treePrecision: 'exact',
    processTable,
    identify: (pid) => {
      const stat = Number.isSafeInteger(pid) && pid > 0 ? readStatSync(pid) : undefined;
      return stat === undefined ? undefined : { pid: stat.pid, startTime: stat.startTime };
    },
    findMarked,
    spawnChild: (request) => spawnDetached(request),
    signalGroup,
    signalProcess,

    readProcess(pid: number): Promise<ProcessInfo | undefined> {
      return Promise.resolve(Number.isSafeInteger(pid) && pid > 0 ? readStatSync(pid) : undefined);
    },

    isAlive(identity: ProcessIdentity): Promise<boolean> {
      return Promise.resolve(isAliveSync(identity));
    },

    async isGroupAlive(pgid: number): Promise<boolean> {
      // Group 0 holds the kernel threads; no real group of ours has a number below 2.
      if (!Number.isSafeInteger(pgid) || pgid <= 1) return false;
      // ESRCH from kill(-pgid, 0) settles it cheaply: no member exists at all, not even a zombie. Success is not
      // proof of life (a zombie-only group also answers), so only then is membership read from the shared table.
      const probe = probeSignal(() => process.kill(-pgid, 0));
      if (!probe.ok && probe.code === 'ESRCH') return false;
      return processTable.hasLiveGroup(await scan(), pgid);
    },

    async snapshotTree(root: TreeRoot, marker?: TreeMarker): Promise<ProcessInfo[]> {
      const table = await scan();
      const tree = selectTree(table.rows, root);
      if (marker === undefined) return tree;
      const known = new Set(tree.map((proc) => proc.pid));
      const carriers = processTable.carriersOf(table, marker.name, marker.token, marker.leader);
      return [...tree, ...carriers.filter((proc) => !known.has(proc.pid) && isLiveState(proc.state))];
    },

    async describeHoldouts(pgid: number, signal: SignalName): Promise<readonly Holdout[] | undefined> {
      if (!Number.isSafeInteger(pgid) || pgid <= 1) return [];
      const bit = 1n << BigInt(signalNumber(signal) - 1);
      const holdouts: Holdout[] = [];
      for (const proc of (await scan()).rows) {
        if (proc.pgid !== pgid || !isLiveState(proc.state)) continue;
        const masks = readSignalMasksSync(proc.pid);
        if (masks === undefined) continue; // gone while we looked
        holdouts.push({
          pid: proc.pid,
          command: proc.command,
          state: proc.state,
          disposition: dispositionOf(masks, bit),
        });
      }
      return holdouts;
    },

    killTreeSync(pgid: number | null, escapees: readonly ProcessIdentity[]): void {
      // Runs inside a process 'exit' handler: a throw here would hide the real exit reason, so nothing escapes.
      try {
        if (pgid !== null) signalGroup(pgid, 'SIGKILL');
        for (const escapee of escapees) {
          // The start time check is what keeps a recycled pid (a stranger) from being killed.
          if (isAliveSync(escapee)) signalProcess(escapee.pid, 'SIGKILL');
        }
      } catch {
        // best effort by contract
      }
    },
  };
}

/** @internal */
/** Ignoring wins over blocking (an ignored signal is discarded even when blocked), blocking over a handler. */
export function dispositionOf(masks: SignalMasks, bit: bigint): SignalDisposition {
  if ((masks.ignored & bit) !== 0n) return 'ignored';
  if ((masks.blocked & bit) !== 0n) return 'blocked';
  if ((masks.caught & bit) !== 0n) return 'caught';
  return 'default';
}
