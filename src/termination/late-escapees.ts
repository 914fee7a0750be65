import { type Observable, type SchedulerLike, map, of } from 'rxjs';
import type { ProcessIdentity, ProcessInfo } from '../platform/types.js';
import { askWithin } from './port-answer.js';
import type { TerminationPort } from './port.js';
import { PROBE_TIMEOUT_MS } from './timing.js';

/** @internal */
/**
 * Processes carrying the tree's marker that the snapshot did not have (`known`): forked after it (a SIGTERM handler
 * that starts a daemon) or missed by it. Asked once after the exit, bounded like every probe.
 */
export function lateEscapees$(
  port: TerminationPort,
  scheduler: SchedulerLike,
  known: readonly ProcessIdentity[],
): Observable<ProcessIdentity[]> {
  const findMarked = port.findMarked?.bind(port);
  if (findMarked === undefined) return of([]);
  return askWithin(findMarked, [] as readonly ProcessInfo[], PROBE_TIMEOUT_MS, scheduler).pipe(
    map((marked) => {
      const seen = new Set(known.map(({ pid, startTime }) => `${pid}:${startTime}`));
      return marked
        .filter(({ pid, startTime }) => pid !== port.root.pid && !seen.has(`${pid}:${startTime}`))
        .map(({ pid, startTime }) => ({ pid, startTime }));
    }),
  );
}
