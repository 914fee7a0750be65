import {
  filter,
  lastValueFrom,
  map,
  type Observable,
  ReplaySubject,
  type SchedulerLike,
  switchMap,
} from 'rxjs';
import type { GracefulShutdown } from './graceful-shutdown.js';
import { terminate$ } from './terminate.js';
import type { TerminationPort } from './port.js';
import type { TerminationCompletedEvent, TerminationEvent, TerminationReport } from './types.js';

/** Termination events a late subscriber of a run still receives; the last one (report or error) always is. */
const RUN_REPLAY_LIMIT = 512;

/** One termination run, shared by every caller that joins it. */
export interface TerminationRun {
  /** The run's events, replayed (bounded) to late subscribers; ends with `completed` or a `TerminationError`. */
  readonly events$: Observable<TerminationEvent>;
  /** The report, or the `TerminationError` / `SpawnError`. */
  readonly result: Promise<TerminationReport>;
  /** Abandons the current graceful phase for SIGKILL. */
  killNow(): void;
}

/** What the controller needs from its handle. */
export interface TerminationHost {
  readonly scheduler: SchedulerLike;
  /** Emits the port once the child has started, or errors with the spawn failure. */
  readonly port$: Observable<TerminationPort>;
  /** Called for every event of every run, in order. */
  onEvent(event: TerminationEvent): void;
  /** Called once per run when it ends. */
  onSettled(outcome: { report: TerminationReport } | { error: unknown }): void;
}

/**
 * Keeps at most one termination run per handle. Calls made while a run is in progress join it, so each signal
 * is sent once and every caller gets the same result; a call after a run ended starts a new one (after a
 * successful run, its preflight sees the exit and sends nothing). A run, once started, always runs to its end:
 * stopping halfway would leave a half-signalled tree.
 */
export class TerminationController {
  private current: TerminationRun | undefined;

  constructor(private readonly host: TerminationHost) {}

  /** True while a run is in progress. */
  get inProgress(): boolean {
    return this.current !== undefined;
  }

  /** Joins the run in progress, or starts one with `shutdown`. */
  start(shutdown: GracefulShutdown): TerminationRun {
    return this.current ?? this.begin(shutdown);
  }

  /** Jumps a run in progress to SIGKILL, or starts a kill-only run. */
  kill(killOnly: GracefulShutdown): TerminationRun {
    const run = this.current ?? this.begin(killOnly);
    run.killNow();
    return run;
  }

  private begin(shutdown: GracefulShutdown): TerminationRun {
    const { host } = this;
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
    const settle = (outcome: { report: TerminationReport } | { error: unknown }): void => {
      if (this.current === run) this.current = undefined;
      host.onSettled(outcome);
    };
    host.port$
      .pipe(
        switchMap((port) =>
          terminate$(port, shutdown, { scheduler: host.scheduler, killNow$: killRequests }),
        ),
      )
      .subscribe({
        next: (event) => {
          host.onEvent(event);
          if (event.type === 'completed') settle({ report: event.report });
          events.next(event);
        },
        error: (error: unknown) => {
          settle({ error });
          events.error(error);
        },
        complete: () => events.complete(),
      });
    return run;
  }
}
