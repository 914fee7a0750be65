import {
  type Observable,
  type SchedulerLike,
  EMPTY,
  concat,
  concatMap,
  defer,
  filter,
  from,
  ignoreElements,
  map,
  of,
  takeUntil,
  takeWhile,
  tap,
  timer,
  toArray,
  exhaustMap,
} from 'rxjs';
import type { ProcessIdentity, SignalOutcome } from '../platform/types.js';
import type { SurvivorPolicy } from './graceful-shutdown.js';
import { ask } from './port-answer.js';
import type { TerminationPort } from './port.js';
import { pollTicks$ } from './timing.js';
import type { TerminationSurvivorKilledEvent, TerminationVerifiedEvent } from './types.js';

/** `undefined`: the port could not tell, which verification treats as "maybe alive". */
type Liveness = boolean | undefined;

const unknownOutcome: SignalOutcome = {
  ok: false,
  code: 'unknown',
  error: new Error('killProcess failed or gave no answer'),
};

/** @internal */
/**
 * Checks every candidate after the group is gone, kills survivors one by one (policy `kill`) and re-checks them
 * until they are gone or `budgetMs` of scheduler time has passed. Emits a `survivorKilled` per kill, then exactly
 * one `verified`. Never waits past the budget: a hung query leaves its process in `stillAlive`.
 */
export function verifySurvivors$(
  port: TerminationPort,
  candidates: readonly ProcessIdentity[],
  policy: SurvivorPolicy,
  budgetMs: number,
  scheduler: SchedulerLike,
): Observable<TerminationSurvivorKilledEvent | TerminationVerifiedEvent> {
  return defer(() => {
    const deadline = scheduler.now() + budgetMs;
    const untilDeadline = <T>(source: Observable<T>): Observable<T> =>
      source.pipe(takeUntil(defer(() => timer(Math.max(0, deadline - scheduler.now()), scheduler))));
    const isAlive = (identity: ProcessIdentity): Observable<Liveness> =>
      ask(() => port.isAlive(identity), undefined);

    // Per-subscription bookkeeping; the run is cold, so each subscription starts from scratch.
    const alreadyGone = new Set<ProcessIdentity>();
    const killedOk = new Set<ProcessIdentity>();
    let remaining: readonly ProcessIdentity[] = candidates;

    const firstCheck$ = untilDeadline(
      from(candidates).pipe(
        concatMap((identity) => isAlive(identity).pipe(map((alive) => ({ identity, alive })))),
      ),
    ).pipe(
      tap(({ identity, alive }) => {
        if (alive === false) alreadyGone.add(identity);
      }),
      ignoreElements(),
    );

    const kills$ = defer(() => {
      remaining = candidates.filter((identity) => !alreadyGone.has(identity));
      if (policy !== 'kill') return EMPTY;
      return untilDeadline(
        from(remaining).pipe(
          concatMap((identity) =>
            ask(() => port.killProcess(identity), unknownOutcome).pipe(
              tap((outcome) => {
                if (outcome.ok) killedOk.add(identity);
              }),
              map((outcome): TerminationSurvivorKilledEvent => ({
                type: 'survivorKilled',
                at: scheduler.now(),
                identity,
                outcome,
              })),
            ),
          ),
        ),
      );
    });

    // Members are not our children, so their end can only be polled; exhaustMap skips a tick while a slow check
    // of the list is still running instead of piling checks up.
    const recheck$ = defer(() =>
      remaining.length === 0
        ? EMPTY
        : untilDeadline(
            pollTicks$(scheduler).pipe(
              exhaustMap(() =>
                from(remaining).pipe(
                  concatMap((identity) => isAlive(identity).pipe(map((alive) => ({ identity, alive })))),
                  filter(({ alive }) => alive !== false),
                  map(({ identity }) => identity),
                  toArray(),
                ),
              ),
              tap((stillThere) => (remaining = stillThere)),
              takeWhile((stillThere) => stillThere.length > 0),
            ),
          ).pipe(ignoreElements()),
    );

    const verified$ = defer(() => {
      const stillAlive = new Set(remaining);
      const suspects = candidates.filter((identity) => !alreadyGone.has(identity));
      const event: TerminationVerifiedEvent = {
        type: 'verified',
        at: scheduler.now(),
        checked: candidates,
        alreadyGone: candidates.filter((identity) => alreadyGone.has(identity)),
        killed: suspects.filter((identity) => !stillAlive.has(identity) && killedOk.has(identity)),
        goneWhileWaiting: suspects.filter((identity) => !stillAlive.has(identity) && !killedOk.has(identity)),
        stillAlive: suspects.filter((identity) => stillAlive.has(identity)),
      };
      return of(event);
    });

    return concat(firstCheck$, kills$, recheck$, verified$);
  });
}
