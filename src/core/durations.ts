import { InvalidOptionError } from './errors.js';

/** @internal */
/**
 * The largest delay a Node timer honours. Anything above it (and NaN, negatives, Infinity) is silently turned into
 * a 1 ms timer by Node, which would make a "long grace period" an instant kill.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** @internal */
/**
 * Checks a duration in milliseconds: a finite integer-or-fraction number in `[0, 2^31 - 1]`.
 * @throws {@link InvalidOptionError} for anything else, including numeric strings.
 */
export function validateDuration(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
    throw new InvalidOptionError(option, value, `a finite number of milliseconds from 0 to ${MAX_TIMER_MS}`);
  }
  return value;
}

/** @internal */
/** Like {@link validateDuration}, but `undefined` passes through as "no bound". */
export function validateOptionalDuration(option: string, value: unknown): number | undefined {
  return value === undefined ? undefined : validateDuration(option, value);
}
