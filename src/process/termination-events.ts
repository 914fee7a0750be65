import type { TerminationEvent } from '../termination/types.js';
import type { ProcessEvent } from './events.js';

/** @internal */
/**
 * The handle's view of a termination run's events. `exited` is not repeated (the handle reports the exit from
 * Node itself); `snapshot`, `interrupted` and `survivorKilled` are summed up by the events that follow them.
 */
export function toProcessEvent(event: TerminationEvent, pgid: number): ProcessEvent | undefined {
  switch (event.type) {
    case 'started':
      return { type: 'terminationStarted', phases: event.phases, reason: event.reason, at: event.at };
    case 'signalSent':
      // A first phase that counted a forwarded parent signal sent nothing: the forward was reported already.
      if (event.forwardedAt !== undefined) return undefined;
      return { type: 'signalSent', signal: event.signal, pgid, cause: 'termination', at: event.at };
    case 'signalFailed': {
      const { signal, code, error, at } = event;
      return { type: 'signalFailed', signal, pgid, cause: 'termination', code, error, at };
    }
    case 'timeout': {
      const { signal, timeoutMs, holdouts, at } = event;
      return { type: 'timeout', signal, timeoutMs, ...(holdouts === undefined ? {} : { holdouts }), at };
    }
    case 'verified':
      return event;
    case 'completed':
      return { type: 'terminated', report: event.report, at: event.at };
    case 'snapshot':
    case 'interrupted':
    case 'exited':
    case 'survivorKilled':
      return undefined;
  }
}
