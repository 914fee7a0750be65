import {
  type Observable,
  Subject,
  type Subscription,
  EMPTY,
  catchError,
  concat,
  defer,
  filter,
  last,
  of,
  switchMap,
  take,
  tap,
} from 'rxjs';
import type { SignalName } from '../core/signals.js';
import type { TableScan } from '../platform/process-table.js';
import { isLiveState } from '../platform/tree.js';
import type { Platform, ProcessIdentity, SignalOutcome, TreeMarker } from '../platform/types.js';
import { MARKER_VARIABLE } from './marker.js';
import type { RunOutcome } from '../termination/controller.js';
import type { TerminationEvent } from '../termination/types.js';
import type { SignalCause } from './events.js';
import type { ArmedChild, ParentExitCleanup } from './parent-exit.js';
import type { ParentSignalPolicy } from './parent-signal-policy.js';
import type { RecentSignal } from '../termination/port.js';

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
/** How the group takes part in parent-signal handling, as its handle decides. */
export interface ParentSignalHooks {
  readonly policy: ParentSignalPolicy;
  /** The handle's scheduler clock: forwarded signals are timed on it, as termination phases are. */
  readonly now: () => number;
  /** Runs the child's graceful shutdown because the parent got a stop signal; never rejects. */
  readonly terminate: () => Promise<void>;
}

/** @internal */
/**
 * How often a group whose leader has exited is checked for members left, and recorded escapees for life. Shared
 * by every such group through the process table's ticker for this interval.
 */
export const GROUP_WATCH_MS = 200;

/** @internal */
/**
 * The process group a started child leads (pgid = sid = pid on Unix), and everything that decides whether a signal
 * may still be sent to it: whether the group was seen empty (its number may then be a stranger's), the escapees
 * termination snapshots found outside it, and whether parent-exit cleanup covers it (armed).
 *
 * Arming rule: armed from the start (when asked) until the leader has exited, the group is empty and every
 * recorded escapee is gone, whenever that happens (after the leader's exit the shared process table is watched
 * until it does); or until a termination run succeeds with nothing left alive; or `detach()`. While a termination
 * run is deciding, only the run's outcome disarms.
 */
export class ChildGroup implements ArmedChild {
  /** The group's number: the leader's pid. */
  readonly pgid: number;
  private gone = false;
  private armed = false;
  private terminating = false;
  private leaderExitedAlready = false;
  private watching: Subscription | undefined;
  private readonly escapees = new Map<string, ProcessIdentity>();
  private readonly signalled = new Subject<GroupSignal>();
  /** The leader's identity as read at the spawn; `undefined` where the platform cannot read it cheaply. */
  readonly leader: ProcessIdentity | undefined;
  /** The marker its descendants inherit, when the child was started with one and the leader could be read. */
  readonly marker: TreeMarker | undefined;

  private lastForwarded: RecentSignal | undefined;

  /** Signals sent outside termination runs (by the caller, or forwarded from the parent). */
  readonly signals$: Observable<GroupSignal> = this.signalled.asObservable();

  constructor(
    readonly pid: number,
    private readonly deps: ChildGroupDeps,
    private readonly parent: ParentSignalHooks,
    markerToken?: string,
  ) {
    this.pgid = pid;
    this.leader = deps.platform.identify(pid);
    this.marker =
      markerToken === undefined || this.leader === undefined
        ? undefined
        : { name: MARKER_VARIABLE, token: markerToken, leader: this.leader };
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

  /**
   * Registers the group for parent-exit cleanup again after a `disarm()` (the handle's `detach()`): once the
   * leader has exited, the group is watched to its end as usual. Idempotent.
   */
  rearm(): void {
    this.arm();
    this.watchToTheEnd();
  }

  /** Leaves parent-exit cleanup. Idempotent. */
  disarm(): void {
    this.stopWatching();
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

  /** What this group gets when the parent receives a stop signal. */
  get parentSignals(): ParentSignalPolicy {
    return this.parent.policy;
  }

  /**
   * Parent-exit cleanup: passes on a stop signal the parent received. A delivered signal is remembered with its
   * time, so a termination starting right after counts it as its first phase (see {@link recentSignal}).
   */
  forwardSignal(signal: SignalName): void {
    if (this.gone) return;
    const outcome = this.signal(signal, 'parentSignal');
    if (outcome.ok) this.lastForwarded = { signal, at: this.parent.now() };
  }

  /** The last parent signal forwarded to the group, and when; the termination port passes it on. */
  recentSignal(): RecentSignal | undefined {
    return this.lastForwarded;
  }

  /** Parent-exit cleanup: the parent received a stop signal and this child drains with its graceful shutdown. */
  terminateForParent(): Promise<void> {
    return this.parent.terminate();
  }

  /** Parent-exit cleanup: the parent is about to die. Kills the group (unless seen empty) and the escapees. */
  killNowSync(): void {
    this.deps.platform.killTreeSync(this.gone ? null : this.pgid, [...this.escapees.values()]);
  }

  /**
   * The leader exited: from now on the group is watched until it is empty and every recorded escapee is gone,
   * then disarmed. A failed check keeps the group armed, the safe side.
   */
  leaderExited(): void {
    this.leaderExitedAlready = true;
    this.watchToTheEnd();
  }

  private watchToTheEnd(): void {
    if (this.terminating || this.watching !== undefined || !this.leaderExitedAlready) return;
    if (this.gone && !this.armed) return;
    const { platform } = this.deps;
    const table = platform.processTable;
    const groupEmpty$ = this.gone
      ? of(true)
      : defer(() => platform.isGroupAlive(this.pgid)).pipe(
          switchMap((alive) =>
            alive
              ? table.watch(GROUP_WATCH_MS).pipe(
                  filter((scan) => !table.hasLiveGroup(scan, this.pgid)),
                  take(1),
                )
              : of(true),
          ),
        );
    const escapeesGone$ = defer(() =>
      this.escapees.size === 0
        ? of(true)
        : table.watch(GROUP_WATCH_MS).pipe(
            filter((scan) => ![...this.escapees.values()].some((escapee) => isAliveIn(scan, escapee))),
            take(1),
          ),
    );
    const subscription = concat(
      groupEmpty$.pipe(
        take(1),
        tap(() => (this.gone = true)),
      ),
      escapeesGone$,
    )
      .pipe(
        last(),
        // The OS could not be asked: stay armed, the safe side.
        catchError(() => EMPTY),
      )
      .subscribe({
        next: () => {
          this.watching = undefined;
          if (!this.terminating) this.disarm();
        },
        complete: () => (this.watching = undefined),
      });
    // A watch that settled synchronously (an answer already known) must not look like one still running.
    this.watching = subscription.closed ? undefined : subscription;
  }

  private stopWatching(): void {
    this.watching?.unsubscribe();
    this.watching = undefined;
  }

  /** A termination run began: from now on its outcome decides. */
  terminationStarted(): void {
    this.terminating = true;
    this.stopWatching();
  }

  /** Each event of a run: the snapshot's escapees are kept, since group signals never reach them. */
  terminationEvent(event: TerminationEvent): void {
    if (event.type === 'verified') {
      // Survivors the run could not end (or was told to leave): kept until seen gone.
      for (const { pid, startTime } of event.stillAlive)
        this.escapees.set(`${pid}:${startTime}`, { pid, startTime });
      return;
    }
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
    if (outcome.kind === 'completed') {
      this.gone = true;
      this.leaderExitedAlready = true;
      if (outcome.report.stillAlive.length === 0) {
        this.disarm();
        return;
      }
    }
    // A failed run, or survivors left alive: keep watching until they are gone.
    this.watchToTheEnd();
  }
}

function isAliveIn(scan: TableScan, identity: ProcessIdentity): boolean {
  const row = scan.byPid.get(identity.pid);
  return row !== undefined && row.startTime === identity.startTime && isLiveState(row.state);
}
