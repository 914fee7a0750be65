import { type Observable, catchError, defaultIfEmpty, defer, of, take } from 'rxjs';
import type { PortAnswer } from './termination-port.js';

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
