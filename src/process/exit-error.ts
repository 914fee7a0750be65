import { RxprocError } from '../core/errors.js';
import type { ExitStatus } from '../core/exit-status.js';
import type { SignalName } from '../core/signals.js';

/**
 * Why a finished child counts as failed: `NON_ZERO_EXIT` — it exited with a code other than 0, or was ended by a
 * signal; `TIMED_OUT` — `run()`'s `timeoutMs` passed and the child was terminated (whatever its status then).
 */
export type ExitErrorCode = 'NON_ZERO_EXIT' | 'TIMED_OUT';

/** How many of the last stderr lines an {@link ExitError} carries. */
export const EXIT_ERROR_STDERR_LINES = 10;

/**
 * A child ran but failed: `run()` rejects with it unless `reject: false`, and `linesOf$()` / `chunksOf$()` /
 * `linesOf()` error with it when asked to (`errorOnFailure: true`). It carries the exit status and the last
 * {@link EXIT_ERROR_STDERR_LINES} lines of stderr, which usually say why; the message quotes the last of them.
 */
export class ExitError extends RxprocError {
  /** `NON_ZERO_EXIT`, or `TIMED_OUT` when `run()`'s timeout ended the child. */
  readonly code: ExitErrorCode;
  /** The process name as configured. */
  readonly processName: string;
  /** The exit code, or `null` when a signal ended the child. */
  readonly exitCode: number | null;
  /** The signal that ended the child, or `null` when it exited on its own. */
  readonly signal: SignalName | null;
  /** The last lines of stderr (at most {@link EXIT_ERROR_STDERR_LINES}), oldest first; empty when not piped. */
  readonly stderrTail: readonly string[];
  /** With `TIMED_OUT`: the timeout that passed. */
  readonly timeoutMs: number | undefined;

  constructor(
    processName: string,
    status: ExitStatus,
    stderrTail: readonly string[],
    options: { readonly timeoutMs?: number } = {},
  ) {
    const ending =
      status.signal !== null ? `was ended by ${status.signal}` : `exited with code ${status.code}`;
    const why =
      options.timeoutMs === undefined
        ? ending
        : `timed out after ${options.timeoutMs} ms and was terminated (it ${ending})`;
    const last = stderrTail.at(-1);
    super(`Process '${processName}' ${why}${last === undefined ? '' : `: ${last}`}`);
    this.code = options.timeoutMs === undefined ? 'NON_ZERO_EXIT' : 'TIMED_OUT';
    this.processName = processName;
    this.exitCode = status.code;
    this.signal = status.signal;
    this.stderrTail = stderrTail.slice(-EXIT_ERROR_STDERR_LINES);
    this.timeoutMs = options.timeoutMs;
  }
}

/** @internal */
/** The last `limit` lines of a text, without the empty line after a final newline. */
export function lastLines(text: string, limit = EXIT_ERROR_STDERR_LINES): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-limit);
}
