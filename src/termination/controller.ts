import {
  filter,
  lastValueFrom,
  map,
  type Observable,
  ReplaySubject,
  type SchedulerLike,
  Subject,
  switchMap,
} from 'rxjs';
import type { GracefulShutdown } from './graceful-shutdown.js';
import type { TerminationPort } from './port.js';
import { terminate$ } from './terminate.js';
import type { StopReason, TerminationCompletedEvent, TerminationEvent, TerminationReport } from './types.js';

/** Termination events a late subscriber of a run still receives; the last one (report or error) always is. */
const RUN_REPLAY_LIMIT = 512;

/** @internal */
/** One termination run, shared by every caller that joins it. */
export interface TerminationRun {
  /** The run's events, replayed (bounded) to late subscribers; ends with `completed` or a `TerminationError`. */
  readonly events$: Observable<TerminationEvent>;
  /** The report, or the `TerminationError` / `SpawnError`. */
  readonly result: Promise<TerminationReport>;
  /** Abandons the current graceful phase for SIGKILL. */
  killNow(): void;
}

/** @internal */
/** How a run ended: with the report, or with the error that `result` rejects with. */
export type RunOutcome =
  | { readonly kind: 'completed'; readonly report: TerminationReport }
  | { readonly kind: 'failed'; readonly error: unknown };

/** @internal */
/**
 * Keeps at most one termination run per child. Calls made while a run is in progress join it, so each signal is
 * sent once and every caller gets the same result; a call after a run ended starts a new one (after a successful
 * run, its preflight sees the exit and sends nothing). A run, once started, always runs to its end: stopping
 * halfway would leave a half-signalled tree.
 *
 * It knows nothing of its owner: the port comes in as an Observable (it exists once the child has started), and
 * what happens goes out as `events$` and `settled$`.
 */
export class TerminationController {
  private current: TerminationRun | undefined;
  private readonly eventsSubject = new Subject<TerminationEvent>();
  private readonly settledSubject = new Subject<RunOutcome>();

  /** Every event of every run, in order, before the run's own subscribers see it. */
  readonly events$: Observable<TerminationEvent> = this.eventsSubject.asObservable();
  /** One outcome per run, after its last event and before its `result` settles. */
  readonly settled$: Observable<RunOutcome> = this.settledSubject.asObservable();

  /**
   * @param port$ Emits the port once the child has started, or errors with the reason it never will.
   */
  constructor(
    private readonly port$: Observable<TerminationPort>,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** True while a run is in progress. */
  get inProgress(): boolean {
    return this.current !== undefined;
  }

  /** Joins the run in progress (keeping its reason), or starts one with `shutdown` for `reason`. */
  start(shutdown: GracefulShutdown, reason: StopReason = 'terminated'): TerminationRun {
    return this.current ?? this.begin(shutdown, reason);
  }

  /** Jumps a run in progress to SIGKILL, or starts a kill-only run. */
  kill(killOnly: GracefulShutdown, reason: StopReason = 'terminated'): TerminationRun {
    const run = this.current ?? this.begin(killOnly, reason);
    run.killNow();
    return run;
  }

  private begin(shutdown: GracefulShutdown, reason: StopReason): TerminationRun {
    const events = new ReplaySubject<TerminationEvent>(RUN_REPLAY_LIMIT);
    const killRequests = new ReplaySubject<true>(1);
    const run: TerminationRun = {
      events$: events.asObservable(),
      result: lastValueFrom(
        events.pipe(
          filter((event): event is TerminationCompletedEvent => event.type === 'completed'),
          map((event) => event.report),
        ),
      ),
      killNow: () => killRequests.next(true),
    };
    // Callers may drop the promise (a fire-and-forget dispose); the rejection is still theirs when they await it.
    run.result.catch(() => undefined);
    this.current = run;
    const settle = (outcome: RunOutcome): void => {
      if (this.current === run) this.current = undefined;
      this.settledSubject.next(outcome);
    };
    this.port$
      .pipe(
        switchMap((port) =>
          terminate$(port, shutdown, { scheduler: this.scheduler, killNow$: killRequests, reason }),
        ),
      )
      .subscribe({
        next: (event) => {
          this.eventsSubject.next(event);
          if (event.type === 'completed') settle({ kind: 'completed', report: event.report });
          events.next(event);
        },
        error: (error: unknown) => {
          settle({ kind: 'failed', error });
          events.error(error);
        },
        complete: () => events.complete(),
      });
    return run;
  }
}
