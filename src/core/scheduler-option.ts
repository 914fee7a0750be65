import { type SchedulerLike, asyncScheduler } from 'rxjs';
import { InvalidOptionError } from './errors.js';

/** @internal */
/** Validates a `scheduler` option: an RxJS `SchedulerLike` (`now()` and `schedule()`), `asyncScheduler` by default. */
export function schedulerOption(option: string, value: unknown): SchedulerLike {
  if (value === undefined) return asyncScheduler;
  const candidate = value as Partial<SchedulerLike> | null;
  if (typeof candidate?.now === 'function' && typeof candidate.schedule === 'function')
    return value as SchedulerLike;
  throw new InvalidOptionError(option, value, 'an RxJS SchedulerLike (now() and schedule())');
}
