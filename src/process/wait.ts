import {
  firstValueFrom,
  map,
  type Observable,
  race,
  type SchedulerLike,
  timer,
  fromEvent,
  mergeMap,
  throwError,
} from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import { validateOptionalDuration } from '../core/durations.js';
import { AbortedError } from './errors.js';

/** Options of `proc.wait()`. */
export interface WaitOptions {
  /** Give up waiting after this long (the child keeps running). Default: no bound. */
  readonly timeoutMs?: number;
  /** Stop waiting when this signal aborts; the wait rejects with an `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** What `wait()` resolved with: the exit, or the timeout. Match on `type`. */
export type WaitOutcome =
  | { readonly type: 'exited'; readonly status: ExitStatus }
  | { readonly type: 'timedOut'; readonly timeoutMs: number };

/** Races the exit against an optional timer and an optional abort signal. */
export function waitForExit(
  exit$: Observable<ExitStatus>,
  scheduler: SchedulerLike,
  options: WaitOptions,
): Promise<WaitOutcome> {
  let timeoutMs: number | undefined;
  try {
    timeoutMs = validateOptionalDuration('wait.timeoutMs', options.timeoutMs);
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = options;
  if (signal?.aborted === true) return Promise.reject(new AbortedError('wait()', signal.reason));
  const outcomes: Observable<WaitOutcome>[] = [
    exit$.pipe(map((status) => ({ type: 'exited', status }) as const)),
  ];
  if (timeoutMs !== undefined) {
    const bound = timeoutMs;
    outcomes.push(timer(bound, scheduler).pipe(map(() => ({ type: 'timedOut', timeoutMs: bound }) as const)));
  }
  if (signal !== undefined) {
    outcomes.push(
      fromEvent(signal, 'abort').pipe(
        mergeMap(() => throwError(() => new AbortedError('wait()', signal.reason))),
      ),
    );
  }
  return firstValueFrom(race(outcomes));
}
