import { InvalidOptionError } from './errors.js';

/** @internal */
/**
 * Checks a count or a size: a safe integer of at least `min`.
 * @throws {@link InvalidOptionError} for anything else.
 */
export function validatePositiveInteger(option: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidOptionError(option, value, `an integer of at least ${min}`);
  }
  return value;
}
