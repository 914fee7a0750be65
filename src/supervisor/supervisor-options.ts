import type { SchedulerLike } from 'rxjs';
import { InvalidOptionError } from '../core/errors.js';
import { validatePositiveInteger } from '../core/sizes.js';
import { validateDuration } from '../core/durations.js';
import { schedulerOption } from '../core/scheduler-option.js';
import type { SupervisorOptions } from './config-types.js';

/** @internal */
export interface ResolvedSupervisorOptions {
  readonly signal: AbortSignal | undefined;
  readonly scheduler: SchedulerLike | undefined;
  readonly parentSignals: 'stop' | 'none';
  readonly stateIntervalMs: number;
  readonly usageIntervalMs: number | false;
  readonly outputReplay: number;
  readonly eventReplay: number;
  readonly maxLineLength: number;
  readonly endWhenAllEnded: boolean;
}

/** @internal */
/** Validates {@link SupervisorOptions} and applies the defaults. */
export function resolveSupervisorOptions(options: SupervisorOptions): ResolvedSupervisorOptions {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', options, 'an object');
  const { signal, scheduler } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new InvalidOptionError('signal', signal, 'an AbortSignal');
  if (scheduler !== undefined) schedulerOption('scheduler', scheduler);
  const parentSignals = options.parentSignals ?? 'stop';
  if (parentSignals !== 'stop' && parentSignals !== 'none') {
    throw new InvalidOptionError('parentSignals', parentSignals, "'stop' or 'none'");
  }
  const usage = options.usageIntervalMs ?? 1000;
  const endWhenAllEnded = options.endWhenAllEnded ?? true;
  if (typeof endWhenAllEnded !== 'boolean')
    throw new InvalidOptionError('endWhenAllEnded', endWhenAllEnded, 'a boolean');
  return {
    signal,
    scheduler,
    parentSignals,
    stateIntervalMs: validateDuration('stateIntervalMs', options.stateIntervalMs ?? 100),
    usageIntervalMs: usage === false ? false : validatePositiveInteger('usageIntervalMs', usage, 10),
    outputReplay: validatePositiveInteger('outputReplay', options.outputReplay ?? 1000, 0),
    eventReplay: validatePositiveInteger('eventReplay', options.eventReplay ?? 1000, 0),
    maxLineLength: validatePositiveInteger('maxLineLength', options.maxLineLength ?? 16 * 1024),
    endWhenAllEnded,
  };
}
