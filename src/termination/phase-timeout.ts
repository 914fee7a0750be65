import { type Observable, type SchedulerLike, defer, map, of } from 'rxjs';
import type { SignalName } from '../core/signals.js';
import { askWithin } from './port-answer.js';
import type { TerminationPort } from './port.js';
import { HOLDOUT_QUERY_TIMEOUT_MS } from './timing.js';
import type { TerminationEvent } from './types.js';

/** @internal */
/**
 * The `timeout` event of a phase, with the holdouts when the port can name them: asked once, bounded by
 * `HOLDOUT_QUERY_TIMEOUT_MS`, and left out when there is no answer, so explaining a timeout never delays the
 * escalation by more than that.
 */
export function timeoutEvent$(
  port: TerminationPort,
  scheduler: SchedulerLike,
  step: { readonly phase: number; readonly signal: SignalName; readonly timeoutMs: number },
): Observable<TerminationEvent> {
  const { phase, signal, timeoutMs } = step;
  return defer(() => {
    const at = scheduler.now();
    const describe = port.describeHoldouts?.bind(port);
    const holdouts$ =
      describe === undefined
        ? of(undefined)
        : askWithin(() => describe(signal), undefined, HOLDOUT_QUERY_TIMEOUT_MS, scheduler);
    return holdouts$.pipe(
      map((holdouts): TerminationEvent => ({
        type: 'timeout',
        at,
        phase,
        signal,
        timeoutMs,
        ...(holdouts === undefined ? {} : { holdouts }),
      })),
    );
  });
}
