import {
  catchError,
  concatMap,
  defer,
  endWith,
  EMPTY,
  ignoreElements,
  map,
  merge,
  type Observable,
  of,
  repeat,
  scan,
  type SchedulerLike,
  takeWhile,
  throwError,
  timeout,
  timer,
} from 'rxjs';
import { ProbeAttemptError, reasonOf, timedOutReason } from './attempt.js';
import type { ProbeProgress } from './probe-progress.js';
import type { ProbeRole, ResolvedTiming } from './resolve-probe.js';

/** @internal */
/** What {@link probeSchedule$} runs: the attempt (already bound to its target) and when. */
export interface ProbeScheduleOptions {
  /** A fresh attempt per call: completes on success, errors with the reason on failure. */
  readonly attempt: () => Observable<void>;
  readonly timing: ResolvedTiming;
  readonly role: ProbeRole;
  /** Every timer runs on it; a `TestScheduler` makes the whole schedule virtual. */
  readonly scheduler: SchedulerLike;
}

/** What the schedule folds into progress: an attempt's end (with its reason if it failed), or the overall bound. */
type Step = { readonly type: 'attempt'; readonly error: string | undefined } | { readonly type: 'deadline' };

/** One attempt, bounded, as a single step: it never errors, so the schedule goes on after a failure. */
function boundedAttempt(options: ProbeScheduleOptions): Observable<Step> {
  const { attemptTimeoutMs } = options.timing;
  return defer(options.attempt).pipe(
    // Only the end of an attempt counts: an attempt that emits and then hangs still times out.
    ignoreElements(),
    timeout({
      first: attemptTimeoutMs,
      scheduler: options.scheduler,
      with: () => throwError(() => new ProbeAttemptError(timedOutReason(attemptTimeoutMs))),
    }),
    endWith<Step>({ type: 'attempt', error: undefined }),
    catchError((error: unknown) => of<Step>({ type: 'attempt', error: reasonOf(error) })),
  );
}

function nextProgress(options: ProbeScheduleOptions, previous: ProbeProgress, step: Step): ProbeProgress {
  const { role, timing } = options;
  if (step.type === 'deadline') {
    const last = previous.error === undefined ? '' : `; last attempt: ${previous.error}`;
    return {
      ok: false,
      failures: previous.failures,
      error: `not ready within ${String(timing.timeoutMs)} ms${last}`,
      verdict: 'failed',
    };
  }
  if (step.error === undefined) {
    return role === 'readiness' ? { ok: true, failures: 0, verdict: 'ready' } : { ok: true, failures: 0 };
  }
  const failures = previous.failures + 1;
  if (failures < timing.failureThreshold) return { ok: false, failures, error: step.error };
  return {
    ok: false,
    failures,
    error: `${failures === 1 ? '1 attempt' : `${failures} attempts`} failed in a row; last: ${step.error}`,
    verdict: role === 'readiness' ? 'failed' : 'unhealthy',
  };
}

/** @internal */
/**
 * Runs a probe's attempts on a schedule and reports each result, then the verdict:
 * - after `initialDelayMs`, one attempt at a time, the next `intervalMs` after the previous one ended, each bounded
 *   by `attemptTimeoutMs` (a timeout is a failure, "timed out after N ms");
 * - readiness: the first success emits `ready`; `failureThreshold` failures in a row, or `timeoutMs` after
 *   subscription (the spawn), emit `failed` with the reason;
 * - liveness: runs until `failureThreshold` failures in a row emit `unhealthy`; a success resets the count.
 *
 * It completes right after the verdict. Unsubscribing cancels the attempt in flight and every timer.
 */
export function probeSchedule$(options: ProbeScheduleOptions): Observable<ProbeProgress> {
  const { timing, role, scheduler } = options;
  const attempts$ = timer(timing.initialDelayMs, scheduler).pipe(
    concatMap(() =>
      // repeat resubscribes once the attempt has ended, so the interval runs between attempts, never across one.
      boundedAttempt(options).pipe(repeat({ delay: () => timer(timing.intervalMs, scheduler) })),
    ),
  );
  const deadline$: Observable<Step> =
    role === 'readiness' && timing.timeoutMs !== null
      ? timer(timing.timeoutMs, scheduler).pipe(map((): Step => ({ type: 'deadline' })))
      : EMPTY;
  return merge(attempts$, deadline$).pipe(
    scan((previous: ProbeProgress, step: Step) => nextProgress(options, previous, step), {
      ok: false,
      failures: 0,
    }),
    takeWhile((progress) => progress.verdict === undefined, true),
  );
}
