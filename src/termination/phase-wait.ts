import {
  type Observable,
  type SchedulerLike,
  NEVER,
  catchError,
  concatWith,
  exhaustMap,
  filter,
  map,
  of,
  race,
  switchMap,
  take,
  timer,
} from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import { ask } from './port-answer.js';
import type { PortAnswer } from './port.js';
import { pollTicks$ } from './timing.js';

/** @internal */
/** How one phase's wait ended. */
export type PhaseWaitOutcome =
  | { readonly kind: 'exited'; readonly status: ExitStatus }
  | { readonly kind: 'timedOut' }
  | { readonly kind: 'interrupted' };

/** @internal */
/** What one phase waits on, and for how long. */
export interface PhaseWaitOptions {
  /** Emits the leader's status once it has exited. */
  readonly exit$: Observable<ExitStatus>;
  /** Whether any member of the group is still alive; an unanswered check counts as alive. */
  readonly isGroupAlive: () => PortAnswer<boolean>;
  readonly scheduler: SchedulerLike;
  /** The phase's budget: an upper bound, not a delay. */
  readonly budgetMs: number;
  /** The send just failed with ESRCH, which Linux only answers once no member exists at all: skip the polls. */
  readonly groupKnownEmpty: boolean;
  /** Ends the wait as `interrupted` when it emits (a kill request); `NEVER` where nothing may interrupt. */
  readonly interrupt$: Observable<unknown>;
}

/** @internal */
/**
 * A `race` of the leader-and-group exit against the phase's `timer` (and the interrupt). Racers are listed exit
 * first, so an exit already known when the wait starts wins even against a zero budget.
 */
export function phaseWait$(options: PhaseWaitOptions): Observable<PhaseWaitOutcome> {
  const exited$ = holdOpen(
    groupGone$(options).pipe(map((status): PhaseWaitOutcome => ({ kind: 'exited', status }))),
  );
  const interrupted$ = holdOpen(
    options.interrupt$.pipe(map((): PhaseWaitOutcome => ({ kind: 'interrupted' }))),
  );
  const timedOut$ = timer(options.budgetMs, options.scheduler).pipe(
    map((): PhaseWaitOutcome => ({ kind: 'timedOut' })),
  );
  return race(exited$, interrupted$, timedOut$).pipe(take(1));
}

/** The leader's status, once the leader has exited and no member of its group is alive. */
function groupGone$(options: PhaseWaitOptions): Observable<ExitStatus> {
  const { exit$, isGroupAlive, scheduler, groupKnownEmpty } = options;
  return exit$.pipe(
    take(1),
    switchMap((status) => {
      if (groupKnownEmpty) return of(status);
      // Members are not our children, so nothing tells us when they end: poll. The first check is immediate so a
      // group that died with its leader is seen at once. An unanswered check counts as "alive".
      return pollTicks$(scheduler).pipe(
        exhaustMap(() => ask(isGroupAlive, true)),
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
