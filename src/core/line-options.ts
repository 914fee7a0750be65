import { InvalidOptionError } from './errors.js';
import { validatePositiveInteger } from './sizes.js';

/**
 * What the line views do with a line longer than `maxLineLength`: `'truncate'` emits its first `maxLineLength`
 * units and drops the rest up to the next newline; `'split'` emits the rest as further lines of at most that length.
 */
export type LineOverflow = 'truncate' | 'split';

/** Line-splitting settings after validation: both fields set. */
export interface LineOptions {
  /** Longest emitted line, in UTF-16 code units; also the most pending text a parser ever holds. */
  readonly maxLineLength: number;
  /** See {@link LineOverflow}. */
  readonly lineOverflow: LineOverflow;
}

/** @internal */
/** The defaults every line consumer shares (output streams, `splitLines`, the collectors). */
export const LINE_DEFAULTS: LineOptions = Object.freeze({
  maxLineLength: 16 * 1024,
  lineOverflow: 'truncate',
});

/** @internal */
/**
 * Validates line settings and applies the defaults; `path` prefixes the option names in errors
 * (`stdout.maxLineLength`).
 * @throws {@link InvalidOptionError} for a value out of range or of the wrong kind.
 */
export function resolveLineOptions(
  given: { readonly maxLineLength?: unknown; readonly lineOverflow?: unknown },
  path: string,
): LineOptions {
  const maxLineLength = validatePositiveInteger(
    `${path}.maxLineLength`,
    given.maxLineLength ?? LINE_DEFAULTS.maxLineLength,
  );
  const lineOverflow = given.lineOverflow ?? LINE_DEFAULTS.lineOverflow;
  if (lineOverflow !== 'truncate' && lineOverflow !== 'split') {
    throw new InvalidOptionError(`${path}.lineOverflow`, lineOverflow, "one of 'truncate', 'split'");
  }
  return { maxLineLength, lineOverflow };
}
