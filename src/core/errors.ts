/**
 * Base class of every error rxproc raises on purpose. `code` is stable and machine-readable; the message is for
 * people and may change.
 */
export abstract class RxprocError extends Error {
  /** A stable, machine-readable identifier of what went wrong. */
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A configuration value (a duration, a size, a count) is outside the range it must be in. It extends
 * {@link RxprocError}, not `RangeError`, so one `instanceof RxprocError` check covers every error rxproc raises.
 */
export class InvalidOptionError extends RxprocError {
  /** Always `INVALID_OPTION`. */
  readonly code = 'INVALID_OPTION' as const;
  /** The option path the caller gave, such as `stdout.maxLineLength`. */
  readonly option: string;
  /** The value that was rejected, as given. */
  readonly value: unknown;

  constructor(option: string, value: unknown, expectation: string) {
    super(`Invalid option ${option}: ${describeValue(value)}; expected ${expectation}`);
    this.option = option;
    this.value = value;
  }
}

/** A signal name is unknown to this platform, or is not allowed where it was given. */
export class InvalidSignalError extends RxprocError {
  /** Always `INVALID_SIGNAL`. */
  readonly code = 'INVALID_SIGNAL' as const;
  /** The value that was rejected, as given. */
  readonly signal: unknown;

  constructor(signal: unknown, reason: string) {
    super(`Invalid signal ${describeValue(signal)}: ${reason}`);
    this.signal = signal;
  }
}

/** @internal */
/** A thrown or rejected value as an Error (an Error stays itself). */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** @internal */
/** Renders a rejected value for an error message without throwing on odd inputs (symbols, cycles, bigints). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'symbol') return value.toString();
  return Object.prototype.toString.call(value);
}
