/**
 * The macOS platform: the same `kill(2)` process groups as Linux, but no `/proc`, so every read goes through one
 * `ps` listing (pid, ppid, pgid, state, start time) and pidtree is the fallback when that format cannot be read.
 *
 * Precision is reported as `ppidOnly`, the honest one of the two levels: groups are visible, but sessions are not and
 * start times have one-second resolution. In practice a reparented descendant that stayed in the leader's group is
 * still found; one that left the group (`setpgid` or `setsid`) is found only while its parent links reach the root.
 */
import { firstValueFrom } from 'rxjs';
import type { SignalName } from '../core/signals.js';
import { runCommand, runCommandSync } from './command-runner.js';
import type { CommandRunner, SyncCommandRunner } from './command-runner.js';
import { parsePgid, parsePsListing, PS_ALL_ARGS, psPidArgs } from './ps-output.js';
import { refused, trySignal, unsafeTargetReason } from './signal-outcome.js';
import { spawnDetached } from './spawn-child.js';
import { type PortableDeps, portableDefaults } from './portable-deps.js';
import { infoFromPpidLinks, isLiveState, isSameLiveProcess, selectTree } from './tree.js';
import { listingTable } from './process-table.js';
import type { Platform, ProcessIdentity, ProcessInfo, SignalOutcome, TreeRoot } from './types.js';

/** @internal */
/** Everything the macOS platform takes from the outside world; tests replace any of it. */
export interface DarwinDeps extends PortableDeps {
  /** Runs `ps` for the asynchronous reads. */
  readonly run: CommandRunner;
  /** Runs `ps` where the caller must stay synchronous (own group, EPERM check, the `'exit'` handler). */
  readonly runSync: SyncCommandRunner;
}

const defaultDeps = (): DarwinDeps => ({ ...portableDefaults(), run: runCommand, runSync: runCommandSync });

/** @internal */
/** Creates the macOS platform; `deps` overrides parts of the outside world (for tests). */
export function createDarwinPlatform(deps: Partial<DarwinDeps> = {}): Platform {
  const env: DarwinDeps = { ...defaultDeps(), ...deps };
  // Unknown until the first group signal; reading it costs a `ps`, which most programs never need.
  let ownPgid: number | undefined | null = null;

  function readOwnPgid(): number | undefined {
    if (ownPgid === null) {
      try {
        ownPgid = parsePgid(env.runSync('ps', ['-o', 'pgid=', '-p', String(env.ownPid)]).stdout);
      } catch {
        // Without ps the own group stays unknown; the own pid is still refused, which covers the common case
        // of a program started from a shell (it leads its own group).
        ownPgid = undefined;
      }
    }
    return ownPgid;
  }

  function listAllSync(): ProcessInfo[] | undefined {
    try {
      return parsePsListing(env.runSync('ps', PS_ALL_ARGS).stdout);
    } catch {
      return undefined;
    }
  }

  /**
   * macOS answers EPERM, not success, for a group whose members are all zombies (unlike Linux). One `ps` tells that
   * apart from a real permission problem; the EPERM path is rare, so its cost does not matter.
   */
  function explainEperm(pgid: number, outcome: SignalOutcome): SignalOutcome {
    const members = listAllSync()?.filter((proc) => proc.pgid === pgid);
    if (members === undefined || members.some((proc) => isLiveState(proc.state))) return outcome;
    const cause = outcome.ok ? undefined : outcome.error;
    const error = new Error(
      `process group ${pgid} has no live member (EPERM from a zombie-only group on macOS)`,
      {
        cause,
      },
    );
    return { ok: false, code: 'ESRCH', error };
  }

  function signalGroup(pgid: number, signal: SignalName): SignalOutcome {
    const reason = unsafeTargetReason(pgid, [env.ownPid, readOwnPgidIfSafe(pgid)]);
    if (reason !== undefined) return refused(reason);
    const outcome = trySignal(() => env.kill(-pgid, signal));
    return !outcome.ok && outcome.code === 'EPERM' ? explainEperm(pgid, outcome) : outcome;
  }

  // Skips the `ps` for targets refused anyway, so a bad pgid never costs a command.
  function readOwnPgidIfSafe(pgid: number): number | undefined {
    return Number.isSafeInteger(pgid) && pgid > 1 ? readOwnPgid() : undefined;
  }

  function signalProcess(pid: number, signal: SignalName): SignalOutcome {
    const reason = unsafeTargetReason(pid, [env.ownPid]);
    if (reason !== undefined) return refused(reason);
    return trySignal(() => env.kill(pid, signal));
  }

  async function listAll(): Promise<ProcessInfo[]> {
    const result = await env.run('ps', PS_ALL_ARGS);
    if (result.exitCode !== 0)
      throw new Error(`ps exited with ${String(result.exitCode)}: ${result.stderr.trim()}`);
    return parsePsListing(result.stdout);
  }

  async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    // `ps -p` exits 1 with no output for a pid that does not exist; that is an answer, not a failure.
    const result = await env.run('ps', psPidArgs([pid]));
    return parsePsListing(result.stdout).find((proc) => proc.pid === pid);
  }

  async function ppidFallback(root: TreeRoot): Promise<ProcessInfo[]> {
    try {
      return infoFromPpidLinks(await env.pidtree(root.pid));
    } catch {
      // pidtree throws "No matching pid found" when neither the root nor a child of it is listed.
      return [];
    }
  }

  // One listing serves every group check that arrives while it is due.
  const processTable = listingTable(listAll);

  return {
    processTable,
    identify: () => undefined, // start times from `ps` are too coarse to be worth a command per spawn
    findMarked: () => Promise.resolve([]), // environments of other processes cannot be read here
    os: 'darwin',
    treePrecision: 'ppidOnly',
    spawnChild: (request) => spawnDetached(request, env.spawn),
    signalGroup,
    signalProcess,
    readProcess,

    // No per-process signal masks can be read here without a native helper.
    describeHoldouts: () => Promise.resolve(undefined),

    async isAlive(identity: ProcessIdentity): Promise<boolean> {
      return isSameLiveProcess(await readProcess(identity.pid), identity);
    },

    async isGroupAlive(pgid: number): Promise<boolean> {
      if (!Number.isSafeInteger(pgid) || pgid <= 1) return false;
      const { rows } = await firstValueFrom(processTable.fresh());
      return rows.some((proc) => proc.pgid === pgid && isLiveState(proc.state));
    },

    async snapshotTree(root: TreeRoot): Promise<ProcessInfo[]> {
      let all: readonly ProcessInfo[];
      try {
        // The shared table: one `ps` serves this snapshot and every group check due at the same time.
        all = (await firstValueFrom(processTable.fresh())).rows;
      } catch {
        return ppidFallback(root);
      }
      return selectTree(all, root);
    },

    killTreeSync(pgid: number | null, escapees: readonly ProcessIdentity[]): void {
      try {
        if (pgid !== null) signalGroup(pgid, 'SIGKILL');
        const candidates = escapees.filter((escapee) => Number.isSafeInteger(escapee.pid) && escapee.pid > 1);
        if (candidates.length === 0) return;
        // One synchronous `ps` re-checks every identity; a pid it does not list, or lists with another start
        // time, is not ours any more.
        const current = parsePsListing(env.runSync('ps', psPidArgs(candidates.map((c) => c.pid))).stdout);
        for (const escapee of candidates) {
          const now = current.find((proc) => proc.pid === escapee.pid);
          if (isSameLiveProcess(now, escapee)) {
            signalProcess(escapee.pid, 'SIGKILL');
          }
        }
      } catch {
        // best effort by contract: this runs inside a process 'exit' handler
      }
    },
  };
}
