import type { ChildProcess } from 'node:child_process';
import type { SignalName } from '../core/signals.js';
import type { ProcessTable } from './process-table.js';

/** What to do with one standard stream of the child. */
export type StdioMode = 'pipe' | 'ignore' | 'inherit';

/** Everything the platform needs to start a child. Already validated by the caller. */
export interface SpawnRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string | undefined;
  readonly env: NodeJS.ProcessEnv | undefined;
  readonly stdin: StdioMode;
  readonly stdout: StdioMode;
  readonly stderr: StdioMode;
}

/**
 * A process as it was when observed: the pid alone can be recycled, the pair (pid, start time) cannot. `startTime`
 * is opaque and only compared for equality (Linux: clock ticks since boot from `/proc/<pid>/stat`; elsewhere the
 * coarser value `ps` gives).
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: string;
}

/** Scheduler state of a process, normalised across platforms. */
export type ProcessRunState =
  'running' | 'sleeping' | 'disk-sleep' | 'stopped' | 'zombie' | 'dead' | 'idle' | 'unknown';

/** One process in a snapshot. `pgid`/`sid` are `undefined` where the platform cannot see them. */
export interface ProcessInfo extends ProcessIdentity {
  readonly ppid: number;
  readonly pgid: number | undefined;
  readonly sid: number | undefined;
  readonly state: ProcessRunState;
  /** The short command name (Linux `comm`), never the arguments. */
  readonly command: string;
}

/** Why a signal could not be delivered. `unsafeTarget`: refused before asking the OS (pid ≤ 1, not an integer). */
export type SignalFailureCode = 'ESRCH' | 'EPERM' | 'EINVAL' | 'ENOSYS' | 'unsafeTarget' | 'unknown';

/** The result of one signal send; sends never throw. */
export type SignalOutcome =
  { readonly ok: true } | { readonly ok: false; readonly code: SignalFailureCode; readonly error: Error };

/**
 * What a process that outlived a signal does with that signal, as the OS reports it: `ignored` (SIG_IGN),
 * `blocked` (masked, so it stays pending), `caught` (a handler runs but did not end the process in time), or
 * `default` (the default action is still pending: a stopped process, or one in uninterruptible sleep).
 */
export type SignalDisposition = 'ignored' | 'blocked' | 'caught' | 'default';

/** A live group member after a signal's wait ran out, and why it may still be there. */
export interface Holdout {
  readonly pid: number;
  readonly command: string;
  readonly state: ProcessRunState;
  readonly disposition: SignalDisposition;
}

/** The root of a process tree: the leader, and the group and session it leads. */
export interface TreeRoot {
  readonly pid: number;
  readonly pgid: number;
  readonly sid: number;
}

/**
 * A child's marker: an environment variable whose value is unique to the child, which every descendant inherits
 * unless it clears its environment. Only processes started after the leader can carry it.
 */
export interface TreeMarker {
  readonly name: string;
  readonly token: string;
  readonly leader: ProcessIdentity;
}

/**
 * How much a tree snapshot can see. `exact`: group, session and parent links plus exact start times (Linux `/proc`).
 * `ppidOnly`: only parent links and coarse start times, so a descendant that was reparented is invisible.
 */
export type TreePrecision = 'exact' | 'ppidOnly';

/**
 * The only code that touches the OS. One implementation per OS; everything above it is portable and is tested
 * against fakes of this interface.
 */
export interface Platform {
  readonly os: 'linux' | 'darwin' | 'win32';
  readonly treePrecision: TreePrecision;

  /**
   * The one process table of this platform: group-liveness polls, snapshots, verification and usage all share
   * its scans.
   */
  readonly processTable: ProcessTable;

  /** Starts a child in a new process group. May throw synchronously, as `child_process.spawn` does. */
  spawnChild(request: SpawnRequest): ChildProcess;

  /**
   * Signals every member of a process group. Never throws; refuses pgid ≤ 1 and the caller's own pid and group.
   * Windows has no groups: there `pgid` is the root pid, and every terminating signal ends its whole tree at once.
   */
  signalGroup(pgid: number, signal: SignalName): SignalOutcome;

  /** Signals one process. Never throws; refuses pid ≤ 1. Callers re-check identity first. */
  signalProcess(pid: number, signal: SignalName): SignalOutcome;

  /**
   * Reads a live process's details, or `undefined` when no such pid exists now. Rejects when the OS cannot be
   * asked at all (macOS/Windows: `ps` or ps-list failed), rather than reporting the process as gone.
   */
  readProcess(pid: number): Promise<ProcessInfo | undefined>;

  /**
   * True when the process with this identity still exists and is not a zombie. A recycled pid (other start time)
   * counts as gone.
   */
  isAlive(identity: ProcessIdentity): Promise<boolean>;

  /** True when some member of the group exists and is not a zombie. */
  isGroupAlive(pgid: number): Promise<boolean>;

  /**
   * A live process's identity, read synchronously where the platform can (Linux); `undefined` elsewhere or when
   * it is gone. Asked once per spawn, so it must be cheap.
   */
  identify(pid: number): ProcessIdentity | undefined;

  /**
   * Every process related to the root at this instant: in its group, in its session, descending from it by
   * parent links, or carrying its `marker`. Includes the root itself when it is still there.
   */
  snapshotTree(root: TreeRoot, marker?: TreeMarker): Promise<ProcessInfo[]>;

  /** The live processes that carry `marker` (Linux); always empty where environments cannot be read. */
  findMarked(marker: TreeMarker): Promise<ProcessInfo[]>;

  /**
   * The live members of a group and what each does with `signal`, to explain a timed-out termination phase.
   * `undefined` where the platform cannot tell (it has no per-process signal masks to read).
   */
  describeHoldouts(pgid: number, signal: SignalName): Promise<readonly Holdout[] | undefined>;

  /**
   * Kills a group and the given escapees at once, synchronously: the only thing possible from a process `'exit'`
   * handler. Identities are re-checked where the platform can do so synchronously. `pgid` is `null` once the
   * group is known to be empty: its number may then belong to a stranger's group, so only escapees are killed.
   */
  killTreeSync(pgid: number | null, escapees: readonly ProcessIdentity[]): void;
}
