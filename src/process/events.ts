import type { ExitStatus } from '../core/exit-status.js';
import type { SignalName } from '../core/signals.js';
import type { SignalFailureCode } from '../platform/types.js';
import type { ShutdownPhase } from '../termination/graceful-shutdown.js';
import type { TerminationError } from '../termination/error.js';
import type { StopReason, TerminationReport, TerminationVerifiedEvent } from '../termination/types.js';
import type { SpawnError } from './errors.js';
import type { Holdout } from '../platform/types.js';
import type { OutputClosed } from '../streams/output-stream.js';

/**
 * Where a handle is in its life. `spawning` until the OS confirms the start; `failed` if it never started;
 * `running` until the leader exits (`terminating` while a termination run is under way); `exited` after.
 */
export type ProcessState = 'spawning' | 'running' | 'terminating' | 'exited' | 'failed';

/** Why a signal was sent: by the caller, or forwarded from the parent's own SIGINT/SIGTERM/SIGHUP. */
export type SignalCause = 'manual' | 'parentSignal' | 'parentExit' | 'termination';

/** The child started. `pgid` equals `pid` on Unix (the child leads a new group and session). */
export interface SpawnedEvent {
  readonly type: 'spawned';
  readonly pid: number;
  readonly pgid: number;
  readonly name: string;
  readonly at: number;
}

/** The child never started; the error says why. */
export interface SpawnFailedEvent {
  readonly type: 'spawnFailed';
  readonly error: SpawnError;
  readonly at: number;
}

/** A signal was delivered to the child's group. */
export interface SignalSentEvent {
  readonly type: 'signalSent';
  readonly signal: SignalName;
  readonly pgid: number;
  readonly cause: SignalCause;
  readonly at: number;
}

/** A signal could not be delivered; `code` is the OS reason (`ESRCH`: the group is already gone). */
export interface SignalFailedEvent {
  readonly type: 'signalFailed';
  readonly signal: SignalName;
  readonly pgid: number;
  readonly cause: SignalCause;
  readonly code: SignalFailureCode;
  readonly error: Error;
  readonly at: number;
}

/** The leader exited. Its output and other group members may still be open or alive. */
export interface ExitedEvent extends ExitStatus {
  readonly type: 'exited';
  /**
   * Present when rxproc was stopping the child when it exited, and why: `aborted` (the `signal` option),
   * `timedOut` (`wait` with `orTerminate`), `parentSignal` (this process got a stop signal) or `terminated` (a
   * `terminate()` / `kill()` call). Absent when the child ended on its own.
   */
  readonly endedBecause?: StopReason;
  readonly at: number;
}

/** Writing to stdin failed because the child closed it (EPIPE) or exited. */
export interface StdinClosedEvent {
  readonly type: 'stdinClosed';
  readonly at: number;
}

/** One output stream of the child ended: naturally, by a read error, or closed by force after the EOF timeout. */
export interface OutputClosedEvent {
  readonly type: 'outputClosed';
  readonly stream: 'stdout' | 'stderr';
  readonly closed: OutputClosed;
  readonly at: number;
}

/** A termination run began with these graceful phases (SIGKILL always follows them). */
export interface TerminationStartedEvent {
  readonly type: 'terminationStarted';
  readonly phases: readonly ShutdownPhase[];
  /** Why it was started: a call, an abort, a `wait` timeout or a parent signal. */
  readonly reason: StopReason;
  readonly at: number;
}

/** A graceful phase's wait ran out and the next step follows. */
export interface PhaseTimeoutEvent {
  readonly type: 'timeout';
  readonly signal: SignalName;
  readonly timeoutMs: number;
  /** The group members still alive and what each does with the signal (Linux); absent where unknown. */
  readonly holdouts?: readonly Holdout[];
  readonly at: number;
}

/**
 * After the exit, every process snapshotted before the first signal was checked: each is in exactly one list.
 * `stillAlive` lists what could not be ended or verified. The termination run's own event, passed on as is.
 */
export type VerifiedEvent = TerminationVerifiedEvent;

/** A termination run ended: the process and its group are gone. */
export interface TerminatedEvent {
  readonly type: 'terminated';
  readonly report: TerminationReport;
  readonly at: number;
}

/** A termination run failed: even SIGKILL did not end the process in time. The handle stays armed. */
export interface TerminationFailedEvent {
  readonly type: 'terminationFailed';
  readonly error: TerminationError;
  readonly at: number;
}

/**
 * Everything that happens to a child, in order, as a discriminated union on `type`. Match it exhaustively with
 * ts-pattern: `match(event).with({ type: 'spawned' }, ...)...exhaustive()`.
 */
export type ProcessEvent =
  | SpawnedEvent
  | SpawnFailedEvent
  | SignalSentEvent
  | SignalFailedEvent
  | StdinClosedEvent
  | ExitedEvent
  | OutputClosedEvent
  | TerminationStartedEvent
  | PhaseTimeoutEvent
  | VerifiedEvent
  | TerminatedEvent
  | TerminationFailedEvent;
