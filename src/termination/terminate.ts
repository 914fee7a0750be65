import {
  type Observable,
  type SchedulerLike,
  NEVER,
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  concatWith,
  connect,
  defer,
  filter,
  finalize,
  last,
  lastValueFrom,
  map,
  merge,
  of,
  race,
  scan,
  shareReplay,
  take,
  throwError,
} from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { SignalName } from '../core/signals.js';
import type { ProcessIdentity, SignalOutcome } from '../platform/types.js';
import { GracefulShutdown } from './graceful-shutdown.js';
import { askWithin } from './port-answer.js';
import { type PhaseWaitOutcome, phaseWait$ } from './phase-wait.js';
import { snapshotTree$ } from './snapshot-tree.js';
import { TerminationError } from './error.js';
import type { TerminationPort } from './port.js';
import { type RunRecord, buildReport, emptyRecord, recordEvent } from './report.js';
import { PROBE_TIMEOUT_MS, SIGNAL_FAILURE_GRACE_MS } from './timing.js';
import type {
  EndedBy,
  StopReason,
  TerminationCompletedEvent,
  TerminationEvent,
  TerminationReport,
  TerminationSnapshotEvent,
} from './types.js';
import { verifySurvivors$ } from './verify-survivors.js';
import { timeoutEvent$ } from './phase-timeout.js';
import { lateEscapees$ } from './late-escapees.js';
import { freshForwarded } from './forwarded.js';

/** How a termination run is driven. */
export interface TerminateOptions {
  /** Every wait goes through it. Default `asyncScheduler`; tests pass a `TestScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * When it emits (or errors) during a graceful phase, that phase's wait is abandoned and SIGKILL follows at once.
   * An emission before the first phase skips the graceful phases. Only the first notification counts.
   */
  readonly killNow$?: Observable<unknown>;
  /** Why the run is started; recorded in the `started` event and the report. Default `'terminated'`. */
  readonly reason?: StopReason;
}

/** One run's fixed context, threaded through the steps. */
interface Run {
  readonly port: TerminationPort;
  readonly shutdown: GracefulShutdown;
  readonly scheduler: SchedulerLike;
  /** Emits once a kill was requested, and replays that to every later phase for the rest of the run. */
  readonly killRequest$: Observable<unknown>;
  /** Processes snapshotted before the first signal (the leader excepted), verified after the exit. */
  readonly candidates: readonly ProcessIdentity[];
}

/** One signal step: a graceful phase, or the final SIGKILL. */
interface SignalStep {
  /** 1-based; the SIGKILL step is `phases.length + 1`. */
  readonly phase: number;
  readonly signal: SignalName;
  readonly timeoutMs: number;
  /** Whether a kill request abandons the wait (graceful phases only: SIGKILL is already the end). */
  readonly interruptible: boolean;
  /** What follows when the wait runs out: the next phase, or nothing (the run then fails). */
  readonly next$: Observable<TerminationEvent>;
}

/**
 * Terminates a process through `port`. Reads as its steps: preflight (already gone?), tree snapshot, each graceful
 * phase (signal the group, then a `race` of the exit against the phase's `timer`), SIGKILL with a bounded wait, then
 * verification of every snapshotted process; `scan` folds the events into the diagnostics, and the final record
 * decides the outcome. Cold: nothing is sent until subscription, and unsubscribing stops further signals. Every
 * wait is bounded, so the Observable always ends: with a `completed` event carrying the report, or with a
 * {@link TerminationError} listing every attempt when even SIGKILL did not end the process.
 *
 * @param options A scheduler (kept for the short form) or {@link TerminateOptions}.
 * @throws {@link InvalidOptionError} synchronously when `shutdown` is not a {@link GracefulShutdown}.
 */
export function terminate$(
  port: TerminationPort,
  shutdown: GracefulShutdown,
  options: SchedulerLike | TerminateOptions = {},
): Observable<TerminationEvent> {
  GracefulShutdown.check('shutdown', shutdown);
  const {
    scheduler = asyncScheduler,
    killNow$ = NEVER,
    reason = 'terminated',
  } = isScheduler(options) ? { scheduler: options } : options;

  return defer(() => {
    const startedAt = scheduler.now();
    // Held open for the whole run (see `finalize`), so a request seen between two phases is not forgotten. It never
    // completes: a `killNow$` that ends without emitting means "no kill", not "stop racing".
    const killRequest$ = killNow$.pipe(
      take(1),
      catchError(() => of(true)),
      concatWith(NEVER),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    const holdKillRequest = killRequest$.subscribe();
    const run: Run = { port, shutdown, scheduler, killRequest$, candidates: [] };

    const events$ = concat(
      of<TerminationEvent>({
        type: 'started',
        at: startedAt,
        processName: port.name,
        reason,
        phases: shutdown.phases,
      }),
      preflight$(run),
    );
    return events$.pipe(
      scan(({ record }, event: TerminationEvent) => ({ record: recordEvent(record, event), event }), {
        record: emptyRecord,
        event: undefined as TerminationEvent | undefined,
      }),
      connect((folded$) =>
        merge(
          folded$.pipe(map(({ event }) => event as TerminationEvent)),
          folded$.pipe(
            last(),
            concatMap(({ record }) => outcome$(port.name, record, scheduler, startedAt)),
          ),
        ),
      ),
      finalize(() => holdKillRequest.unsubscribe()),
    );
  });
}

/**
 * {@link terminate$} as a promise of the report. Rejects with {@link TerminationError} when the process could not be
 * ended.
 */
export async function terminate(
  port: TerminationPort,
  shutdown: GracefulShutdown,
  options: SchedulerLike | TerminateOptions = {},
): Promise<TerminationReport> {
  const completed = await lastValueFrom(
    terminate$(port, shutdown, options).pipe(
      filter((event): event is TerminationCompletedEvent => event.type === 'completed'),
    ),
  );
  return completed.report;
}

/** The run succeeded exactly when it saw the exit; otherwise every failed attempt goes into the error. */
function outcome$(
  processName: string,
  record: RunRecord,
  scheduler: SchedulerLike,
  startedAt: number,
): Observable<TerminationEvent> {
  if (record.exited === undefined)
    return throwError(() => new TerminationError(processName, record.attempts));
  const at = scheduler.now();
  return of({ type: 'completed', at, report: buildReport(processName, record, at - startedAt) });
}

/** Nothing to send when the leader already exited and its group is empty. */
function preflight$(run: Run): Observable<TerminationEvent> {
  return defer(() => {
    const known = run.port.exitStatus();
    if (known === undefined) return snapshotThenPhases$(run);
    // Leader gone, but members may live on (background jobs of a shell ignore SIGINT): only an empty group ends
    // the run here. An unanswered check counts as "alive", since then we must keep escalating.
    return askWithin(() => run.port.isGroupAlive(), true, PROBE_TIMEOUT_MS, run.scheduler).pipe(
      concatMap((alive) =>
        alive
          ? snapshotThenPhases$(run)
          : of<TerminationEvent>({
              type: 'exited',
              at: run.scheduler.now(),
              status: known,
              endedBy: 'alreadyExited',
            }),
      ),
    );
  });
}

/** The snapshot is taken before the first signal: afterwards, reparented descendants could no longer be found. */
function snapshotThenPhases$(run: Run): Observable<TerminationEvent> {
  return snapshotTree$(run.port, run.scheduler).pipe(
    concatMap((snapshot) =>
      concat(of(snapshot), phase$({ ...run, candidates: candidatesOf(snapshot, run.port.root.pid) }, 0)),
    ),
  );
}

/** Graceful phase `index` (0-based), or the SIGKILL step once the phases are used up. */
function phase$(run: Run, index: number): Observable<TerminationEvent> {
  const current = run.shutdown.phases[index];
  if (current === undefined) return kill$(run);
  const step: SignalStep = {
    phase: index + 1,
    signal: current.signal,
    timeoutMs: current.timeoutMs,
    interruptible: true,
    next$: defer(() => phase$(run, index + 1)),
  };
  // A kill requested before this phase began skips it: nothing is sent, SIGKILL follows.
  return race(run.killRequest$.pipe(map(() => interrupted$(run, step))), of(send$(run, step))).pipe(
    take(1),
    concatMap((next$) => next$),
  );
}

/** SIGKILL to the group, then a bounded wait; when the exit is not seen, the run ends without it and fails. */
function kill$(run: Run): Observable<TerminationEvent> {
  return send$(run, {
    phase: run.shutdown.phases.length + 1,
    signal: 'SIGKILL',
    timeoutMs: run.shutdown.killTimeoutMs,
    interruptible: false,
    next$: of(),
  });
}

/**
 * One signal step: send to the group, then wait for the leader's exit and an empty group. A delivered signal gets
 * the step's budget; a failed send gets a short grace, since the exit may have raced it (Linux answers ESRCH only
 * once every member is reaped, and Node reports the exit a moment later).
 */
function send$(run: Run, step: SignalStep): Observable<TerminationEvent> {
  return defer(() => {
    const { port, scheduler } = run;
    const { phase, signal } = step;
    const forwarded = freshForwarded(port, scheduler, step);
    const sent: SignalOutcome = forwarded === undefined ? port.signalGroup(signal) : { ok: true };
    // A stopped member keeps the signal pending until it runs again; its failure says nothing about the phase.
    if (sent.ok && signal !== 'SIGKILL') port.signalGroup('SIGCONT');
    const at = scheduler.now();
    const event: TerminationEvent = sent.ok
      ? {
          type: 'signalSent',
          at,
          phase,
          signal,
          ...(forwarded === undefined ? {} : { forwardedAt: forwarded }),
        }
      : { type: 'signalFailed', at, phase, signal, code: sent.code, error: sent.error };
    // A forwarded signal's phase runs from the moment it was forwarded: only the rest of the budget is left.
    const elapsed = forwarded === undefined ? 0 : at - forwarded;
    const wait$ = phaseWait$({
      exit$: port.exit$,
      isGroupAlive: () => port.isGroupAlive(),
      scheduler,
      budgetMs: sent.ok ? step.timeoutMs - elapsed : SIGNAL_FAILURE_GRACE_MS,
      groupKnownEmpty: !sent.ok && sent.code === 'ESRCH',
      interrupt$: step.interruptible ? run.killRequest$ : NEVER,
    });
    return concat(
      of(event),
      wait$.pipe(
        concatMap((outcome: PhaseWaitOutcome) => {
          switch (outcome.kind) {
            case 'exited':
              return exitedThenVerify$(run, outcome.status, signal);
            case 'interrupted':
              return interrupted$(run, step);
            case 'timedOut':
              // Only a delivered signal had a real budget to run out; a failed send just moves on.
              return sent.ok ? concat(timeoutEvent$(port, scheduler, step), step.next$) : step.next$;
          }
        }),
      ),
    );
  });
}

/** The phase was abandoned (or skipped) for an immediate kill. */
function interrupted$(run: Run, step: SignalStep): Observable<TerminationEvent> {
  return concat(
    defer(() =>
      of<TerminationEvent>({
        type: 'interrupted',
        at: run.scheduler.now(),
        phase: step.phase,
        signal: step.signal,
      }),
    ),
    kill$(run),
  );
}

function exitedThenVerify$(run: Run, status: ExitStatus, endedBy: EndedBy): Observable<TerminationEvent> {
  const { port, shutdown, scheduler } = run;
  return concat(
    defer(() => of<TerminationEvent>({ type: 'exited', at: scheduler.now(), status, endedBy })),
    lateEscapees$(port, scheduler, run.candidates).pipe(
      concatMap((late) =>
        verifySurvivors$(
          port,
          [...run.candidates, ...late],
          shutdown.survivors,
          shutdown.verifyTimeoutMs,
          scheduler,
        ),
      ),
    ),
  );
}

function candidatesOf(snapshot: TerminationSnapshotEvent, leaderPid: number): ProcessIdentity[] {
  // The leader's fate is known from exit$; only the others need checking.
  return snapshot.members
    .filter((member) => member.pid !== leaderPid)
    .map(({ pid, startTime }) => ({ pid, startTime }));
}

function isScheduler(value: SchedulerLike | TerminateOptions): value is SchedulerLike {
  return typeof (value as Partial<SchedulerLike>).schedule === 'function';
}
