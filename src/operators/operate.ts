import { Observable } from 'rxjs';
import type { Observer, OperatorFunction, Subscriber, TeardownLogic } from 'rxjs';

/** @internal */
/**
 * Builds an operator from what it does per subscription, in the spirit of RxJS's internal `operate`: `init` runs
 * once for each subscriber, subscribes to `source` as it sees fit, and returns the teardown. This keeps the
 * `(source) => new Observable(...)` wrapping, which every operator here needs, in one place.
 * @internal
 */
export function operate<T, R>(
  init: (source: Observable<T>, subscriber: Subscriber<R>) => TeardownLogic,
): OperatorFunction<T, R> {
  return (source) => new Observable<R>((subscriber) => init(source, subscriber));
}

/** @internal */
/**
 * The observer an operator subscribes to its source with, in the spirit of RxJS's `createOperatorSubscriber`:
 * `onNext` handles values; a source error always goes on to `destination` (none of these operators recovers from
 * one), and completion goes on as is unless `onComplete` has something to emit first.
 * @internal
 */
export function operatorObserver<T>(
  destination: Subscriber<unknown>,
  onNext: (value: T) => void,
  onComplete: () => void = () => destination.complete(),
): Observer<T> {
  return {
    next: onNext,
    error: (error: unknown) => destination.error(error),
    complete: onComplete,
  };
}
