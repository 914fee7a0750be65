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
import type { GracefulShutdown } from '../termination/graceful-shutdown.js';
import type { StopReason, TerminationReport } from '../termination/types.js';
import type { CollectBytesOptions } from '../operators/collect-bytes.js';
import type { CollectLinesOptions } from '../operators/collect-lines.js';

/** Options of `proc.wait()`. */
export interface WaitOptions {
  /** Give up waiting after this long (the child keeps running). Default: no bound. */
  readonly timeoutMs?: number;
  /** Stop waiting when this signal aborts; the wait rejects with an `AbortedError`. */
  readonly signal?: AbortSignal;
  /**
   * When `timeoutMs` passes, terminate the child with this shutdown instead of leaving it running; the wait then
   * resolves `{ type: 'terminated' }` with the termination report.
   */
  readonly orTerminate?: GracefulShutdown;
  /** Collect the output while waiting, as `'lines'` or `'bytes'`; it comes back as `output` on the outcome. */
  readonly output?: 'lines' | 'bytes';
  /** Bounds of the collection (see `collectLines` / `collectBytes`); bounded by default. */
  readonly collect?: CollectLinesOptions | CollectBytesOptions;
  /**
   * With `output`: after the exit, how long the output may stay open (a grandchild holding the pipe) before it is
   * closed by force and the outcome says `output.cutOff`. Default: the handle's `eofTimeoutMs`.
   */
  readonly eofTimeoutMs?: number;
  /**
   * End a piped stdin before waiting, as the child may be reading to end-of-file (`cat`, `sort`, `wc`) and would
   * otherwise never exit. Default `true`: whoever waits for the exit has nothing more to write. `false` leaves it
   * open (to keep writing while a bounded wait polls). Without `stdin: 'pipe'` it does nothing.
   */
  readonly closeStdin?: boolean;
}

type WithOutput<O> = [O] extends [undefined] ? unknown : { readonly output: O };

/**
 * What `wait()` resolved with: the exit, the timeout, or the termination that followed the timeout (with
 * `orTerminate`). Match on `type`. With `output`, every outcome also carries the collected `output`.
 */
export type WaitOutcome<O = undefined> = (
  | {
      readonly type: 'exited';
      readonly status: ExitStatus;
      /** Present when rxproc was stopping the child when it exited, and why (see `ExitedEvent.endedBecause`). */
      readonly endedBecause?: StopReason;
    }
  | { readonly type: 'timedOut'; readonly timeoutMs: number }
  | {
      readonly type: 'terminated';
      readonly timeoutMs: number;
      readonly status: ExitStatus;
      readonly report: TerminationReport;
    }
) &
  WithOutput<O>;

/** @internal */
/** What {@link waitForExit} itself can resolve with; termination is the handle's business. */
export type ExitOrTimeout = Extract<WaitOutcome, { type: 'exited' | 'timedOut' }>;

/** @internal */
/** Races the exit against an optional timer and an optional abort signal. */
export function waitForExit(
  exit$: Observable<ExitStatus>,
  scheduler: SchedulerLike,
  options: WaitOptions,
): Promise<ExitOrTimeout> {
  let timeoutMs: number | undefined;
  try {
    timeoutMs = validateOptionalDuration('wait.timeoutMs', options.timeoutMs);
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = options;
  if (signal?.aborted === true) return Promise.reject(new AbortedError('wait()', signal.reason));
  const outcomes: Observable<ExitOrTimeout>[] = [
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
