import type { ExitStatus } from '../core/exit-status.js';
import type { SignalName } from '../core/signals.js';
import type {
  Holdout,
  ProcessIdentity,
  ProcessRunState,
  SignalFailureCode,
  SignalOutcome,
} from '../platform/types.js';
import type { ShutdownPhase } from './graceful-shutdown.js';

/**
 * Which step the exit was observed in: `alreadyExited` when nothing had to be sent, otherwise the signal of the
 * phase during which the leader and its whole group were seen gone (`SIGKILL` for the forced step).
 */
export type EndedBy = 'alreadyExited' | SignalName;

/**
 * One step that did not end the process, in the order it happened. `phase` is 1-based; the SIGKILL step is
 * `phases.length + 1`.
 */
export type TerminationAttempt =
  | {
      readonly kind: 'timedOut';
      readonly phase: number;
      readonly signal: SignalName;
      readonly timeoutMs: number;
      /** The group members still alive then, and what each does with the signal; absent where unknown. */
      readonly holdouts?: readonly Holdout[];
    }
  | {
      readonly kind: 'sendFailed';
      readonly phase: number;
      readonly signal: SignalName;
      readonly code: SignalFailureCode;
      readonly error: Error;
    }
  | {
      /** The wait was abandoned because an immediate kill was requested (`killNow$`). */
      readonly kind: 'interrupted';
      readonly phase: number;
      readonly signal: SignalName;
    };

/** A process seen in the tree snapshot taken before the first signal. */
export interface SnapshotMember extends ProcessIdentity {
  readonly ppid: number;
  readonly pgid: number | undefined;
  readonly state: ProcessRunState;
  readonly command: string;
  /**
   * `false` for an escapee (another process group, e.g. after `setsid`), which the group signals never reach;
   * `undefined` where the platform cannot see process groups.
   */
  readonly inGroup: boolean | undefined;
}

/** How the snapshot went; a failed or timed-out snapshot leaves nothing to verify, and says so. */
export type SnapshotOutcome = 'taken' | 'failed' | 'timedOut' | 'skipped';

/**
 * Why a termination run was started: `terminated` by a call (`terminate()`, `kill()`, `await using`, an
 * unsubscribed `spawn$`), `aborted` by the `signal` spawn option, `timedOut` by `wait({ timeoutMs, orTerminate })`,
 * `parentSignal` by a stop signal this process received (`parentSignals: 'terminate'`). Like execa's
 * `isCanceled` / `timedOut`, it tells a cancelled child from one that ended on its own.
 */
export type StopReason = 'terminated' | 'aborted' | 'timedOut' | 'parentSignal';

/** The result of a successful termination run. */
export interface TerminationReport {
  readonly processName: string;
  /** The leader's exit status. */
  readonly status: ExitStatus;
  readonly endedBy: EndedBy;
  /** Why the run was started (the first caller's reason when several joined it). */
  readonly reason: StopReason;
  /** True when SIGKILL was needed. */
  readonly forced: boolean;
  /** Scheduler time from subscription to the report. */
  readonly durationMs: number;
  /** Every step that did not end the process, in order. Empty when the first phase worked. */
  readonly attempts: readonly TerminationAttempt[];
  /** Signals delivered to the group, in order (SIGCONT follow-ups excluded). */
  readonly signalsSent: readonly SignalName[];
  /**
   * First-phase signals not sent because the group had just received the same signal, forwarded from this
   * process's own stop signal (see {@link TerminationSignalSentEvent.forwardedAt}). Empty in most runs.
   */
  readonly signalsForwarded: readonly SignalName[];
  readonly snapshotOutcome: SnapshotOutcome;
  /** The snapshot, leader included, capped at `SNAPSHOT_MEMBER_LIMIT` (escapees first). */
  readonly snapshot: readonly SnapshotMember[];
  /** True when the tree was larger than the cap; the members left out were not verified. */
  readonly snapshotTruncated: boolean;
  /** Snapshotted processes that outlived the group and were SIGKILLed one by one, confirmed gone. */
  readonly survivorsKilled: readonly ProcessIdentity[];
  /** Snapshotted processes still alive when verification ended, or whose state could not be established. */
  readonly stillAlive: readonly ProcessIdentity[];
}

interface EventBase {
  /** `scheduler.now()` when the event was emitted. */
  readonly at: number;
}

/** The run began. */
export interface TerminationRunStartedEvent extends EventBase {
  readonly type: 'started';
  readonly processName: string;
  readonly reason: StopReason;
  readonly phases: readonly ShutdownPhase[];
}

/** The tree snapshot was taken (or failed, or timed out) before the first signal. */
export interface TerminationSnapshotEvent extends EventBase {
  readonly type: 'snapshot';
  readonly outcome: Exclude<SnapshotOutcome, 'skipped'>;
  readonly members: readonly SnapshotMember[];
  /** How many processes the platform returned, before the cap. */
  readonly total: number;
  readonly truncated: boolean;
  /** Why the snapshot failed, when it did. */
  readonly error?: Error;
}

/** A signal was delivered to the group. */
export interface TerminationSignalSentEvent extends EventBase {
  readonly type: 'signalSent';
  readonly phase: number;
  readonly signal: SignalName;
  /**
   * Set when this first-phase signal was not sent again: the group received it from a forwarded parent signal at
   * this scheduler time, less than the phase's timeout ago. The phase then waits only the rest of its timeout.
   */
  readonly forwardedAt?: number;
}

/** A signal could not be delivered to the group; a short grace for a racing exit follows. */
export interface TerminationSignalFailedEvent extends EventBase {
  readonly type: 'signalFailed';
  readonly phase: number;
  readonly signal: SignalName;
  readonly code: SignalFailureCode;
  readonly error: Error;
}

/** A phase's budget ran out without the group ending. */
export interface TerminationTimeoutEvent extends EventBase {
  readonly type: 'timeout';
  readonly phase: number;
  readonly signal: SignalName;
  readonly timeoutMs: number;
  /**
   * The group members still alive when the wait ran out and what each does with the signal (`ignored`, `blocked`,
   * `caught`, or `default` still pending), so a stuck termination explains itself. Absent where the platform
   * cannot tell (macOS, Windows) or did not answer in time.
   */
  readonly holdouts?: readonly Holdout[];
}

/** A graceful phase was abandoned for an immediate SIGKILL. */
export interface TerminationInterruptedEvent extends EventBase {
  readonly type: 'interrupted';
  readonly phase: number;
  readonly signal: SignalName;
}

/** The leader has exited and no member of its group is alive. */
export interface TerminationExitedEvent extends EventBase {
  readonly type: 'exited';
  readonly status: ExitStatus;
  readonly endedBy: EndedBy;
}

/** A snapshotted survivor was sent SIGKILL on its own (identity re-checked by the port). */
export interface TerminationSurvivorKilledEvent extends EventBase {
  readonly type: 'survivorKilled';
  readonly identity: ProcessIdentity;
  /** `ok: false` when the process vanished or changed identity first, or the kill was refused. */
  readonly outcome: SignalOutcome;
}

/**
 * Verification of the snapshot is over. The lists partition `checked`: gone at the first check, SIGKILLed by us
 * and then gone, gone later on their own, or still alive / unverifiable.
 */
export interface TerminationVerifiedEvent extends EventBase {
  readonly type: 'verified';
  readonly checked: readonly ProcessIdentity[];
  readonly alreadyGone: readonly ProcessIdentity[];
  readonly killed: readonly ProcessIdentity[];
  readonly goneWhileWaiting: readonly ProcessIdentity[];
  readonly stillAlive: readonly ProcessIdentity[];
}

/** The last event: the run succeeded. */
export interface TerminationCompletedEvent extends EventBase {
  readonly type: 'completed';
  readonly report: TerminationReport;
}

/** Everything a termination run reports, as it happens. Discriminated on `type`. */
export type TerminationEvent =
  | TerminationRunStartedEvent
  | TerminationSnapshotEvent
  | TerminationSignalSentEvent
  | TerminationSignalFailedEvent
  | TerminationTimeoutEvent
  | TerminationInterruptedEvent
  | TerminationExitedEvent
  | TerminationSurvivorKilledEvent
  | TerminationVerifiedEvent
  | TerminationCompletedEvent;
