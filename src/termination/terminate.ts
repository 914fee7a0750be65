import {
  type Observable,
  type SchedulerLike,
  NEVER,
  ReplaySubject,
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  concatWith,
  defer,
  exhaustMap,
  filter,
  finalize,
  lastValueFrom,
  map,
  of,
  race,
  scan,
  switchMap,
  take,
  throwError,
  timer,
} from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { SignalName } from '../core/signals.js';
import type { ProcessIdentity } from '../platform/types.js';
import { GracefulShutdown } from './graceful-shutdown.js';
import { ask, askWithin } from './port-answer.js';
import { snapshotTree$ } from './snapshot-tree.js';
import { TerminationError } from './error.js';
import type { TerminationPort } from './port.js';
import { type RunRecord, buildReport, emptyRecord, recordEvent } from './report.js';
import { HOLDOUT_QUERY_TIMEOUT_MS, pollTicks$, PROBE_TIMEOUT_MS, SIGNAL_FAILURE_GRACE_MS } from './timing.js';
import type {
  EndedBy,
  TerminationCompletedEvent,
  TerminationEvent,
  TerminationReport,
  TerminationSnapshotEvent,
} from './types.js';
import { verifySurvivors$ } from './verify-survivors.js';

/** How a termination run is driven. */
export interface TerminateOptions {
  /** Every wait goes through it. Default `asyncScheduler`; tests pass a `TestScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * When it emits (or errors) during a graceful phase, that phase's wait is abandoned and SIGKILL follows at once.
   * An emission before the first phase skips the graceful phases. Only the first notification counts.
   */
  readonly killNow$?: Observable<unknown>;
}

// The end of the run, as seen by the fold: success (report follows) or failure (TerminationError follows).
type Step = TerminationEvent | { readonly type: 'end' } | { readonly type: 'fail' };
const END: Step = { type: 'end' };
const FAIL: Step = { type: 'fail' };

type WaitOutcome =
  | { readonly kind: 'exited'; readonly status: ExitStatus }
  | { readonly kind: 'timedOut' }
  | { readonly kind: 'interrupted' };

interface Run {
  readonly port: TerminationPort;
  readonly shutdown: GracefulShutdown;
  readonly scheduler: SchedulerLike;
  readonly killRequested: () => boolean;
  /** Replays the kill request, so a phase that starts waiting later still sees it. */
  readonly killRequest$: Observable<true>;
}

/**
 * Terminates a process through `port`: preflight, tree snapshot, each graceful phase (signal the group, SIGCONT,
 * wait for the leader's exit and an empty group), SIGKILL with a bounded wait, then verification of every
 * snapshotted process. Cold: nothing is sent until subscription, and unsubscribing stops further signals. Every
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
  const { scheduler = asyncScheduler, killNow$ } = isScheduler(options) ? { scheduler: options } : options;

  return defer(() => {
    const startedAt = scheduler.now();
    let killRequested = false;
    const killRequest = new ReplaySubject<true>(1);
    const requestKill = (): void => {
      killRequested = true;
      killRequest.next(true);
    };
    const watch = killNow$?.pipe(take(1)).subscribe({ next: requestKill, error: requestKill });
    const run: Run = {
      port,
      shutdown,
      scheduler,
      killRequested: () => killRequested,
      killRequest$: killRequest.asObservable(),
    };

    const steps$ = concat(
      of<Step>({ type: 'started', at: startedAt, processName: port.name, phases: shutdown.phases }),
      preflight$(run),
    );
    return steps$.pipe(
      scan(
        (acc: { record: RunRecord; step: Step }, step: Step) => ({
          record: isEvent(step) ? recordEvent(acc.record, step) : acc.record,
          step,
        }),
        { record: emptyRecord, step: END },
      ),
      concatMap(({ record, step }): Observable<TerminationEvent> => {
        if (step.type === 'fail') return throwError(() => new TerminationError(port.name, record.attempts));
        if (step.type !== 'end') return of(step);
        const now = scheduler.now();
        const completed: TerminationCompletedEvent = {
          type: 'completed',
          at: now,
          report: buildReport(port.name, record, now - startedAt),
        };
        return of(completed);
      }),
      finalize(() => watch?.unsubscribe()),
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

function preflight$(run: Run): Observable<Step> {
  return defer(() => {
    const known = run.port.exitStatus();
    if (known === undefined) return snapshotThenPhases$(run);
    // Leader gone, but members may live on (background jobs of a shell ignore SIGINT): only an empty group ends
    // the run here. An unanswered check counts as "alive", since then we must keep escalating.
    return askWithin(() => run.port.isGroupAlive(), true, PROBE_TIMEOUT_MS, run.scheduler).pipe(
      concatMap((alive) =>
        alive
          ? snapshotThenPhases$(run)
          : of<Step[]>(
              { type: 'exited', at: run.scheduler.now(), status: known, endedBy: 'alreadyExited' },
              END,
            ),
      ),
    );
  });
}

function snapshotThenPhases$(run: Run): Observable<Step> {
  return snapshotTree$(run.port, run.scheduler).pipe(
    concatMap((snapshot) => concat(of(snapshot), phase$(run, 0, candidatesOf(snapshot, run.port.root.pid)))),
  );
}

/** Graceful phase `index`, or the SIGKILL step once the phases are used up. */
function phase$(run: Run, index: number, candidates: readonly ProcessIdentity[]): Observable<Step> {
  return defer(() => {
    const current = run.shutdown.phases[index];
    if (current === undefined) return kill$(run, candidates);
    const { signal, timeoutMs } = current;
    const phase = index + 1;
    const { port, scheduler } = run;
    const next$ = phase$(run, index + 1, candidates);
    const interrupted$ = defer(() => interruptedAt$(run, phase, signal, candidates));
    if (run.killRequested()) return interrupted$;

    const sent = port.signalGroup(signal);
    if (!sent.ok) {
      const failed: Step = { type: 'signalFailed', at: scheduler.now(), phase, signal, ...sent };
      return concat(
        of(failed),
        waitForExit$(run, SIGNAL_FAILURE_GRACE_MS, sent.code === 'ESRCH', true).pipe(
          concatMap((outcome) => {
            if (outcome.kind === 'exited') return exitedThenVerify$(run, outcome.status, signal, candidates);
            return outcome.kind === 'interrupted' ? interrupted$ : next$;
          }),
        ),
      );
    }
    // A stopped member keeps the signal pending until it runs again; its failure says nothing about the phase.
    port.signalGroup('SIGCONT');
    return concat(
      of<Step>({ type: 'signalSent', at: scheduler.now(), phase, signal }),
      waitForExit$(run, timeoutMs, false, true).pipe(
        concatMap((outcome) => {
          switch (outcome.kind) {
            case 'exited':
              return exitedThenVerify$(run, outcome.status, signal, candidates);
            case 'interrupted':
              return interrupted$;
            case 'timedOut':
              return concat(timeout$(run, phase, signal, timeoutMs), next$);
          }
        }),
      ),
    );
  });
}

/**
 * The `timeout` step of a phase, with the holdouts when the port can name them: asked once, bounded by
 * `HOLDOUT_QUERY_TIMEOUT_MS`, and left out when there is no answer, so explaining a timeout never delays the
 * escalation by more than that.
 */
function timeout$(run: Run, phase: number, signal: SignalName, timeoutMs: number): Observable<Step> {
  const { port, scheduler } = run;
  return defer(() => {
    const at = scheduler.now();
    const describe = port.describeHoldouts?.bind(port);
    const holdouts$ =
      describe === undefined
        ? of(undefined)
        : askWithin(() => describe(signal), undefined, HOLDOUT_QUERY_TIMEOUT_MS, scheduler);
    return holdouts$.pipe(
      map((holdouts): Step => ({
        type: 'timeout',
        at,
        phase,
        signal,
        timeoutMs,
        ...(holdouts === undefined ? {} : { holdouts }),
      })),
    );
  });
}

function interruptedAt$(
  run: Run,
  phase: number,
  signal: SignalName,
  candidates: readonly ProcessIdentity[],
): Observable<Step> {
  return concat(
    of<Step>({ type: 'interrupted', at: run.scheduler.now(), phase, signal }),
    kill$(run, candidates),
  );
}

/** SIGKILL to the group, then a bounded wait; the run fails if the exit is not seen. */
function kill$(run: Run, candidates: readonly ProcessIdentity[]): Observable<Step> {
  return defer(() => {
    const { port, scheduler, shutdown } = run;
    const phase = shutdown.phases.length + 1;
    const signal = 'SIGKILL';
    const sent = port.signalGroup(signal);
    if (!sent.ok) {
      const failed: Step = { type: 'signalFailed', at: scheduler.now(), phase, signal, ...sent };
      return concat(
        of(failed),
        waitForExit$(run, SIGNAL_FAILURE_GRACE_MS, sent.code === 'ESRCH', false).pipe(
          concatMap((outcome) =>
            outcome.kind === 'exited' ? exitedThenVerify$(run, outcome.status, signal, candidates) : of(FAIL),
          ),
        ),
      );
    }
    const { killTimeoutMs } = shutdown;
    return concat(
      of<Step>({ type: 'signalSent', at: scheduler.now(), phase, signal }),
      waitForExit$(run, killTimeoutMs, false, false).pipe(
        concatMap((outcome) =>
          outcome.kind === 'exited'
            ? exitedThenVerify$(run, outcome.status, signal, candidates)
            : concat(timeout$(run, phase, signal, killTimeoutMs), of(FAIL)),
        ),
      ),
    );
  });
}

function exitedThenVerify$(
  run: Run,
  status: ExitStatus,
  endedBy: EndedBy,
  candidates: readonly ProcessIdentity[],
): Observable<Step> {
  const { port, shutdown, scheduler } = run;
  return concat(
    defer(() => of<Step>({ type: 'exited', at: scheduler.now(), status, endedBy })),
    verifySurvivors$(port, candidates, shutdown.survivors, shutdown.verifyTimeoutMs, scheduler),
    of(END),
  );
}

/**
 * Waits up to `budgetMs` for the end of the leader and its whole group. Racers are listed exit first, so an exit
 * already known at the instant the wait starts wins even against a zero budget.
 *
 * @param groupKnownEmpty The send just failed with ESRCH, which Linux only answers once no member exists at all.
 * @param interruptible Whether a kill request ends the wait (graceful phases only).
 */
function waitForExit$(
  run: Run,
  budgetMs: number,
  groupKnownEmpty: boolean,
  interruptible: boolean,
): Observable<WaitOutcome> {
  const exited$ = holdOpen(
    leaderAndGroupGone$(run, groupKnownEmpty).pipe(
      map((status): WaitOutcome => ({ kind: 'exited', status })),
    ),
  );
  const timedOut$ = timer(budgetMs, run.scheduler).pipe(map((): WaitOutcome => ({ kind: 'timedOut' })));
  const interrupted$ = holdOpen(run.killRequest$.pipe(map((): WaitOutcome => ({ kind: 'interrupted' }))));
  return (interruptible ? race(exited$, interrupted$, timedOut$) : race(exited$, timedOut$)).pipe(take(1));
}

/** The leader's status, once the leader has exited and no member of its group is alive. */
function leaderAndGroupGone$(run: Run, groupKnownEmpty: boolean): Observable<ExitStatus> {
  const { port, scheduler } = run;
  return port.exit$.pipe(
    take(1),
    switchMap((status) => {
      if (groupKnownEmpty) return of(status);
      // Members are not our children, so nothing tells us when they end: poll. The first check is immediate so a
      // group that died with its leader is seen at once. An unanswered check counts as "alive".
      return pollTicks$(scheduler).pipe(
        exhaustMap(() => ask(() => port.isGroupAlive(), true)),
        filter((alive) => !alive),
        take(1),
        map(() => status),
      );
    }),
    // A broken exit$ must not end the wait early: the timer decides, and escalation goes on.
    catchError(() => NEVER),
  );
}

/** A racer that cannot end the race by completing without a value (`race` forwards completion). */
function holdOpen<T>(source: Observable<T>): Observable<T> {
  return source.pipe(concatWith(NEVER));
}

function candidatesOf(snapshot: TerminationSnapshotEvent, leaderPid: number): ProcessIdentity[] {
  // The leader's fate is known from exit$; only the others need checking.
  return snapshot.members
    .filter((member) => member.pid !== leaderPid)
    .map(({ pid, startTime }) => ({ pid, startTime }));
}

function isEvent(step: Step): step is TerminationEvent {
  return step.type !== 'end' && step.type !== 'fail';
}

function isScheduler(value: SchedulerLike | TerminateOptions): value is SchedulerLike {
  return typeof (value as Partial<SchedulerLike>).schedule === 'function';
}
