/**
 * The Windows platform. Windows has no process groups, no POSIX signals and no zombies to see; the "group" of a
 * child is its tree by parent links, and the only way to end that tree is `taskkill /PID <pid> /T /F`.
 *
 * Signals: Node itself turns SIGTERM, SIGINT, SIGQUIT and SIGKILL into `TerminateProcess`, a hard kill. There is no
 * graceful stop a controller can send to a console program without a native helper (`GenerateConsoleCtrlEvent`
 * needs a shared console and a process group created for it). `taskkill /T` without `/F` only asks GUI windows to
 * close and is ignored by console programs, so a "graceful" phase built on it would just wait out its timeout and
 * then kill anyway. Every terminating signal therefore runs `taskkill /T /F`: what the caller asked for is honoured
 * in the only form Windows offers, and at once. Signals that do not terminate (SIGCONT, SIGSTOP, SIGWINCH, ...)
 * report `ENOSYS` and run nothing, so a "resume after each stage" step cannot turn into a kill.
 *
 * Precision is `ppidOnly`: pidtree and ps-list give only pid, parent pid and name here, start times are unknown
 * (`''`), and pids are reused quickly. Windows never reparents, so a child of an exited process still names it as
 * parent and is still found, until that pid is reused.
 */
import { firstValueFrom } from 'rxjs';
import { validateTerminationSignal } from '../core/signals.js';
import type { SignalName } from '../core/signals.js';
import type { ProcessDescriptor } from 'ps-list';
import { runCommandSync } from './command-runner.js';
import type { CommandResult, SyncCommandRunner } from './command-runner.js';
import { refused, trySignal, unsafeTargetReason } from './signal-outcome.js';
import { spawnWindows } from './spawn-child.js';
import { type PortableDeps, portableDefaults } from './portable-deps.js';
import { infoFromPpidLinks, isLiveState, isSameLiveProcess, selectTree } from './tree.js';
import { listingTable } from './process-table.js';
import type { Platform, ProcessIdentity, ProcessInfo, SignalOutcome, TreeRoot } from './types.js';

/** @internal */
/** Everything the Windows platform takes from the outside world; tests replace any of it. */
export interface WindowsDeps extends PortableDeps {
  /** Runs `taskkill`, synchronously because signal sends are synchronous. */
  readonly runSync: SyncCommandRunner;
}

const defaultDeps = (): WindowsDeps => ({ ...portableDefaults(), runSync: runCommandSync });

/** `taskkill` exits with 128 when the pid does not exist. */
const TASKKILL_NOT_FOUND = 128;

function isTerminating(signal: SignalName): boolean {
  try {
    validateTerminationSignal(signal);
    return true;
  } catch {
    return false;
  }
}

/** @internal */
/** Maps a `taskkill` result to an outcome. Exit codes are locale-independent; the texts are only a hint. */
export function outcomeFromTaskkill(result: CommandResult): SignalOutcome {
  if (result.exitCode === 0) return { ok: true };
  const detail = `${result.stderr}${result.stdout}`.trim();
  const error = new Error(`taskkill exited with ${String(result.exitCode)}: ${detail}`);
  if (result.exitCode === TASKKILL_NOT_FOUND) return { ok: false, code: 'ESRCH', error };
  if (/access is denied/i.test(detail)) return { ok: false, code: 'EPERM', error };
  return { ok: false, code: 'unknown', error };
}

function toInfo(entry: ProcessDescriptor): ProcessInfo {
  return {
    pid: entry.pid,
    ppid: entry.ppid,
    pgid: undefined,
    sid: undefined,
    state: 'unknown',
    startTime: '',
    command: entry.name,
  };
}

/** @internal */
/** Creates the Windows platform; `deps` overrides parts of the outside world (for tests). */
export function createWindowsPlatform(deps: Partial<WindowsDeps> = {}): Platform {
  const env: WindowsDeps = { ...defaultDeps(), ...deps };

  function signalGroup(pid: number, signal: SignalName): SignalOutcome {
    const reason = unsafeTargetReason(pid, [env.ownPid]);
    if (reason !== undefined) return refused(reason);
    if (!isTerminating(signal)) {
      return { ok: false, code: 'ENOSYS', error: new Error(`${signal} has no equivalent on Windows`) };
    }
    try {
      return outcomeFromTaskkill(env.runSync('taskkill', ['/PID', String(pid), '/T', '/F']));
    } catch (error) {
      return { ok: false, code: 'unknown', error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  function signalProcess(pid: number, signal: SignalName): SignalOutcome {
    const reason = unsafeTargetReason(pid, [env.ownPid]);
    if (reason !== undefined) return refused(reason);
    // Node maps the terminating signals to TerminateProcess and reports ENOSYS for the rest.
    return trySignal(() => env.kill(pid, signal));
  }

  async function listAll(): Promise<ProcessInfo[]> {
    return (await env.psList()).map(toInfo);
  }

  async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    return (await listAll()).find((proc) => proc.pid === pid);
  }

  // One listing serves every group check that arrives while it is due.
  const processTable = listingTable(listAll);

  return {
    processTable,
    identify: () => undefined, // start times from `ps` are too coarse to be worth a command per spawn
    findMarked: () => Promise.resolve([]), // environments of other processes cannot be read here
    os: 'win32',
    treePrecision: 'ppidOnly',
    spawnChild: (request) => spawnWindows(request, env.spawn),
    signalGroup,
    signalProcess,
    readProcess,

    // No per-process signal masks can be read here without a native helper.
    describeHoldouts: () => Promise.resolve(undefined),

    async isAlive(identity: ProcessIdentity): Promise<boolean> {
      return isSameLiveProcess(await readProcess(identity.pid), identity);
    },

    async isGroupAlive(pid: number): Promise<boolean> {
      if (!Number.isSafeInteger(pid) || pid <= 1) return false;
      // The "group" is the tree by parent links; pgid/sid are undefined here, so only those links match.
      const { rows } = await firstValueFrom(processTable.fresh());
      return selectTree(rows, { pid, pgid: pid, sid: pid }).some((proc) => isLiveState(proc.state));
    },

    async snapshotTree(root: TreeRoot): Promise<ProcessInfo[]> {
      try {
        return infoFromPpidLinks(await env.pidtree(root.pid));
      } catch {
        // pidtree throws "No matching pid found" when neither the root nor a child of it is listed.
        return [];
      }
    },

    killTreeSync(pid: number | null, _escapees: readonly ProcessIdentity[]): void {
      if (pid === null) return;
      // Escapees are not killed one by one: with no start times there is no identity to re-check, and Windows
      // reuses pids quickly, so a kill by number could hit a stranger. `/T` already covers every process whose
      // parent links reach the root, which on Windows survive the parent's exit.
      try {
        signalGroup(pid, 'SIGKILL');
      } catch {
        // best effort by contract
      }
    },
  };
}
