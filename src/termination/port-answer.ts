import {
  type Observable,
  type SchedulerLike,
  catchError,
  defaultIfEmpty,
  defer,
  map,
  of,
  race,
  take,
  timer,
} from 'rxjs';
import type { PortAnswer } from './port.js';

/** @internal */
/**
 * The first answer of a port query as an Observable that always emits exactly once unless it hangs: a throw, a
 * rejection or an empty answer become `fallback`. Callers bound the hang with a timer.
 */
export function ask<T, F>(query: () => PortAnswer<T>, fallback: F): Observable<T | F> {
  return defer(query).pipe(
    take(1),
    defaultIfEmpty(fallback),
    catchError(() => of(fallback)),
  );
}

/** @internal */
/**
 * {@link ask}, bounded: the first answer, or `fallback` once `boundMs` of scheduler time has passed without one, so a
 * hung OS query can never hang the run.
 */
export function askWithin<T, F>(
  query: () => PortAnswer<T>,
  fallback: F,
  boundMs: number,
  scheduler: SchedulerLike,
): Observable<T | F> {
  return race(ask(query, fallback), timer(boundMs, scheduler).pipe(map(() => fallback))).pipe(take(1));
}
