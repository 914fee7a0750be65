import type { SignalName } from './signals.js';

/**
 * How a process ended: exactly one of `code` and `signal` is non-null. A handler that catches SIGTERM and exits
 * with 143 reports `{ code: 143, signal: null }`; a death by the signal itself reports `{ code: null, signal:
 * 'SIGTERM' }`.
 */
export interface ExitStatus {
  /** The exit code, or `null` when a signal ended the process. */
  readonly code: number | null;
  /** The signal that ended the process, or `null` when it exited on its own. */
  readonly signal: SignalName | null;
}

/** True when the process exited with code 0. */
export function isSuccess(status: ExitStatus): boolean {
  return status.code === 0;
}
