import {
  catchError,
  defaultIfEmpty,
  EMPTY,
  filter,
  map,
  merge,
  type Observable,
  of,
  type SchedulerLike,
  take,
  timer,
} from 'rxjs';
import type { ProbeProgress } from './probe-progress.js';
import type { ResolvedLogProbe } from './resolve-probe.js';

/** @internal */
/** A line of a service's output, and which stream printed it. */
export interface ServiceLine {
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

/** @internal */
/** The one reason a log probe fails when the service's output ends (it exited) before a matching line. */
export const OUTPUT_ENDED_REASON = 'output ended before a matching line';

/** @internal */
/**
 * A readiness probe on the service's output: emits `ready` on the first line of the chosen stream(s) that matches
 * the pattern, or `failed` when `timeoutMs` passes first (counted from subscription, i.e. the spawn), when `lines$`
 * completes first, or when it errors; then completes. There are no attempts, so the other timings do not apply.
 *
 * @param lines$ Must replay the lines printed before subscription: a service often says "listening" before anyone
 *   looks.
 */
export function logProbe$(
  lines$: Observable<ServiceLine>,
  probe: ResolvedLogProbe,
  scheduler: SchedulerLike,
): Observable<ProbeProgress> {
  const { pattern, stream, timing } = probe;
  const failed = (error: string): ProbeProgress => ({ ok: false, failures: 0, error, verdict: 'failed' });
  const match$ = lines$.pipe(
    filter((line) => (stream === 'both' || line.stream === stream) && pattern.test(line.line)),
    take(1),
    map((): ProbeProgress => ({ ok: true, failures: 0, verdict: 'ready' })),
    defaultIfEmpty(failed(OUTPUT_ENDED_REASON)),
    catchError((error: unknown) =>
      of(failed(`reading the output failed: ${error instanceof Error ? error.message : String(error)}`)),
    ),
  );
  const deadline$ =
    timing.timeoutMs === null
      ? EMPTY
      : timer(timing.timeoutMs, scheduler).pipe(
          map(() => failed(`no line matched ${String(pattern)} within ${String(timing.timeoutMs)} ms`)),
        );
  // The match is subscribed first: replayed lines arrive synchronously and settle the probe before any timer.
  return merge(match$, deadline$).pipe(take(1));
}
