import type { Observable } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { SignalName } from '../core/signals.js';
import type { Holdout, ProcessIdentity, ProcessInfo, SignalOutcome, TreeRoot } from '../platform/types.js';

/**
 * The answer of an asynchronous port query. Production passes the platform's promises straight through; tests
 * return Observables (`of(x)`, `NEVER`, a cold marble), which resolve in virtual time where a promise could only
 * resolve in a microtask after the TestScheduler has already flushed. Only the first value counts.
 */
export type PortAnswer<T> = Observable<T> | PromiseLike<T>;

/** A signal the group already received from outside the run, and when (scheduler time). */
export interface RecentSignal {
  readonly signal: SignalName;
  readonly at: number;
}

/**
 * The narrow view of one process that the termination pipeline needs. Production wires it to the handle and the
 * platform; tests wire sinon fakes, so every path runs in virtual time.
 */
export interface TerminationPort {
  /** The process name, for reports and errors. */
  readonly name: string;
  /** The leader, and the group and session it leads; used to tell escapees from group members. */
  readonly root: TreeRoot;
  /** The status if the leader is already known to have exited, else `undefined`. Synchronous. */
  exitStatus(): ExitStatus | undefined;
  /** Emits the exit status once the leader has exited (at once if it already has), then completes. */
  readonly exit$: Observable<ExitStatus>;
  /** Sends a signal to the leader's whole process group. Never throws. */
  signalGroup(signal: SignalName): SignalOutcome;
  /** Every process related to the leader right now (group, session, parent links), the leader included. */
  snapshotTree(): PortAnswer<readonly ProcessInfo[]>;
  /** True when some member of the leader's group is still alive (zombies do not count). */
  isGroupAlive(): PortAnswer<boolean>;
  /** True when this exact process (pid and start time) still exists and is not a zombie. */
  isAlive(identity: ProcessIdentity): PortAnswer<boolean>;
  /**
   * Optional: the group's live members and what each does with `signal`, asked when a phase's wait runs out so
   * the timeout explains itself. Leave it out (or answer `undefined`) where that cannot be known.
   */
  describeHoldouts?(signal: SignalName): PortAnswer<readonly Holdout[] | undefined>;
  /**
   * Optional: the live processes that carry the tree's marker now (inherited environment), asked again after the
   * exit so that escapees forked after the snapshot are verified too. Leave it out where there is no marker.
   */
  findMarked?(): PortAnswer<readonly ProcessInfo[]>;
  /**
   * Optional: the last signal passed on to the group outside any run (a parent signal forwarded as a terminal
   * would have), with its `scheduler.now()` time. A run whose first phase sends that same signal while it is still
   * fresh counts it as sent, so a single Ctrl-C never reaches the child twice. Synchronous.
   */
  recentSignal?(): RecentSignal | undefined;
  /** Re-checks the identity, then SIGKILLs that one process. Never throws. */
  killProcess(identity: ProcessIdentity): PortAnswer<SignalOutcome>;
}
