import type { Observable } from 'rxjs';

/** @internal */
/**
 * One try of a probe against the OS: completes when it succeeded, errors with a {@link ProbeAttemptError} when it
 * did not, and releases whatever it holds (socket, request, process) when unsubscribed. `attemptTimeoutMs` bounds
 * it on its own too, so that it is safe outside the schedule.
 */
export type ProbeAttempt<Spec> = (spec: Spec, attemptTimeoutMs: number) => Observable<void>;

/** @internal */
/** Why one attempt failed, as a short human reason ("connection refused", "HTTP 503"). */
export class ProbeAttemptError extends Error {
  override readonly name = 'ProbeAttemptError';
}

/** @internal */
/** The reason to show for anything an attempt errored with. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'failed without a reason';
}

/** @internal */
/** The reason of an attempt that ran out of time; the schedule and the attempts say it the same way. */
export function timedOutReason(attemptTimeoutMs: number): string {
  return `timed out after ${attemptTimeoutMs} ms`;
}
