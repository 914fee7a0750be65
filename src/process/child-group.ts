import { type Observable, Subject } from 'rxjs';
import type { SignalName } from '../core/signals.js';
import type { Platform, ProcessIdentity, SignalOutcome } from '../platform/types.js';
import type { RunOutcome } from '../termination/controller.js';
import type { TerminationEvent } from '../termination/types.js';
import type { SignalCause } from './events.js';
import type { ArmedChild, ParentExitCleanup } from './parent-exit.js';

/** @internal */
/** A signal sent to the group outside a termination run, and what came of it. */
export interface GroupSignal {
  readonly signal: SignalName;
  readonly cause: Exclude<SignalCause, 'termination'>;
  readonly pgid: number;
  readonly outcome: SignalOutcome;
}

/** @internal */
/** What a group needs from the process: the OS, and the registry that cleans up when the parent dies. */
export interface ChildGroupDeps {
  readonly platform: Platform;
  readonly cleanup: ParentExitCleanup;
}

/** @internal */
/**
 * The process group a started child leads (pgid = sid = pid on Unix), and everything that decides whether a signal
 * may still be sent to it: whether the group was seen empty (its number may then be a stranger's), the escapees
 * termination snapshots found outside it, and whether parent-exit cleanup covers it (armed).
 *
 * Arming rule: armed from the start (when asked) until the leader has exited, the group is empty and every
 * recorded escapee is gone; or until a termination run succeeds with nothing left alive; or `detach()`. While a
 * termination run is deciding, only the run's outcome disarms.
 */
export class ChildGroup implements ArmedChild {
  /** The group's number: the leader's pid. */
  readonly pgid: number;
  private gone = false;
  private armed = false;
  private terminating = false;
  private readonly escapees = new Map<string, ProcessIdentity>();
  private readonly signalled = new Subject<GroupSignal>();

  /** Signals sent outside termination runs (by the caller, or forwarded from the parent). */
  readonly signals$: Observable<GroupSignal> = this.signalled.asObservable();

  constructor(
    readonly pid: number,
    private readonly deps: ChildGroupDeps,
  ) {
    this.pgid = pid;
  }

  /** True once the group was seen empty: its number is never signalled or probed again. */
  get isGone(): boolean {
    return this.gone;
  }

  /** True while parent-exit cleanup would kill this group. */
  get isArmed(): boolean {
    return this.armed;
  }

  /** Registers the group for parent-exit cleanup. Idempotent. */
  arm(): void {
    if (this.armed) return;
    this.armed = true;
    this.deps.cleanup.arm(this);
  }

  /** Leaves parent-exit cleanup. Idempotent. */
  disarm(): void {
    if (!this.armed) return;
    this.armed = false;
    this.deps.cleanup.disarm(this);
  }

  /** Sends `signal` to the whole group; refused without asking the OS once the group was seen empty. */
  send(signal: SignalName): SignalOutcome {
    if (this.gone) {
      return {
        ok: false,
        code: 'ESRCH',
        error: new Error(`process group ${this.pgid} was already seen empty`),
      };
    }
    return this.deps.platform.signalGroup(this.pgid, signal);
  }

  /** {@link send}, reported on `signals$`. */
  signal(signal: SignalName, cause: GroupSignal['cause']): SignalOutcome {
    const outcome = this.send(signal);
    this.signalled.next({ signal, cause, pgid: this.pgid, outcome });
    return outcome;
  }

  /** Parent-exit cleanup: the parent received a stop signal that the application handles itself. */
  forwardSignal(signal: SignalName): void {
    if (!this.gone) this.signal(signal, 'parentSignal');
  }

  /** Parent-exit cleanup: the parent is about to die. Kills the group (unless seen empty) and the escapees. */
  killNowSync(): void {
    this.deps.platform.killTreeSync(this.gone ? null : this.pgid, [...this.escapees.values()]);
  }

  /**
   * The leader exited: once its group is empty and every recorded escapee is gone, there is nothing left to
   * protect. An unanswered check keeps the group armed, the safe side.
   */
  leaderExited(): void {
    if (this.terminating || this.gone) return;
    const { platform } = this.deps;
    platform.isGroupAlive(this.pgid).then(
      async (alive) => {
        if (alive || this.terminating) return;
        this.gone = true;
        const escapeesAlive = await Promise.all([...this.escapees.values()].map((e) => platform.isAlive(e)));
        if (!escapeesAlive.includes(true) && !this.terminating) this.disarm();
      },
      () => undefined,
    );
  }

  /** A termination run began: from now on its outcome decides. */
  terminationStarted(): void {
    this.terminating = true;
  }

  /** Each event of a run: the snapshot's escapees are kept, since group signals never reach them. */
  terminationEvent(event: TerminationEvent): void {
    if (event.type !== 'snapshot') return;
    for (const member of event.members) {
      if (member.inGroup !== false) continue;
      const { pid, startTime } = member;
      this.escapees.set(`${pid}:${startTime}`, { pid, startTime });
    }
  }

  /** A successful run saw the leader exit and the group empty; with nothing left alive, cleanup has no work. */
  terminationSettled(outcome: RunOutcome): void {
    this.terminating = false;
    if (outcome.kind !== 'completed') return;
    this.gone = true;
    if (outcome.report.stillAlive.length === 0) this.disarm();
  }
}
