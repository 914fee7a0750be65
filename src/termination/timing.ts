import { concat, concatMap, from, interval, type Observable, of, type SchedulerLike, timer } from 'rxjs';

/**
 * Fixed bounds of a termination run. They are not options because each one guards a failure of the machinery
 * (a lost reap, a hung `/proc` read), not a property of the child.
 */

/** @internal */
/**
 * After a signal send fails, how long to wait for an exit that raced the send. Linux answers ESRCH once every
 * member of the group has been reaped, but Node may deliver `'exit'` a moment later.
 */
export const SIGNAL_FAILURE_GRACE_MS = 100;

/** @internal */
/**
 * How often to ask whether the group is empty once the leader is gone. Members cannot be waited on (they are not
 * our children), so polling is the only way; 50 ms keeps the added latency small and the load negligible.
 */
export const GROUP_POLL_INTERVAL_MS = 50;

/** @internal */
/**
 * Upper bound for a single OS query whose answer we need before signalling: the tree snapshot and the preflight
 * group check. A `ps` that hangs must not hang the termination.
 */
export const PROBE_TIMEOUT_MS = 2000;

/** @internal */
/**
 * How many snapshot members are kept (and verified). A tree larger than this is outside what per-process
 * verification can do in a bounded time; escapees are kept first because the group SIGKILL never reaches them.
 */
export const SNAPSHOT_MEMBER_LIMIT = 1024;

/** @internal */
/**
 * The first gaps between polls, before they settle at {@link GROUP_POLL_INTERVAL_MS}: members that die together
 * with their leader are usually gone within a few milliseconds of it, and a fixed 50 ms poll would add that much
 * latency to nearly every termination.
 */
export const POLL_BACKOFF_MS: readonly number[] = [1, 2, 4, 8, 16, 32];

/** @internal */
/** Poll ticks: one at once, then after each backoff gap, then every {@link GROUP_POLL_INTERVAL_MS}. */
export function pollTicks$(scheduler: SchedulerLike): Observable<unknown> {
  return concat(
    of(0),
    from(POLL_BACKOFF_MS).pipe(concatMap((gap) => timer(gap, scheduler))),
    interval(GROUP_POLL_INTERVAL_MS, scheduler),
  );
}

/** @internal */
/**
 * Upper bound for naming the holdouts of a timed-out phase. The answer only explains; it must never hold up the
 * next signal for long.
 */
export const HOLDOUT_QUERY_TIMEOUT_MS = 250;
