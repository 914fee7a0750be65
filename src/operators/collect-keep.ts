import { InvalidOptionError } from '../core/errors.js';

/** @internal */
/** Which end of the output a bounded collector keeps once its bound is reached. */
export type Keep = 'first' | 'last';

/** @internal */
/**
 * Checks a collector's `keep` option.
 * @throws {@link InvalidOptionError} for anything but `'first'` or `'last'`.
 */
export function resolveKeep(option: string, value: unknown): Keep {
  if (value !== 'first' && value !== 'last') throw new InvalidOptionError(option, value, "'first' or 'last'");
  return value;
}
