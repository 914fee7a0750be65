import { RxprocError } from '../core/errors.js';

/** Why a child could not be started. Stable values; match on them. */
export type SpawnErrorCode =
  | 'COMMAND_NOT_FOUND'
  | 'NOT_EXECUTABLE'
  | 'INTERPRETER_NOT_FOUND'
  | 'CWD_NOT_FOUND'
  | 'CWD_NOT_DIRECTORY'
  | 'INVALID_ARGUMENT'
  | 'ARGUMENT_LIST_TOO_LONG'
  | 'TOO_MANY_OPEN_FILES'
  | 'INVALID_OPTION'
  | 'ABORTED'
  | 'UNKNOWN';

/**
 * A child could not be started. It reaches the caller as a `spawnFailed` event, an error on `exit$` and a rejected
 * `wait()`; `spawn()` itself never throws. The message names the process (by default the program's basename only,
 * never its arguments) and the real cause: a missing working directory is reported as such, not as the
 * misleading `spawn cmd ENOENT` Node gives.
 */
export class SpawnError extends RxprocError {
  /** What went wrong, as a stable code. */
  readonly code: SpawnErrorCode;
  /** The process name as configured. */
  readonly processName: string;
  /** One sentence on the cause, already in `message`. */
  readonly reason: string;
  /** The OS error code when there was one (`ENOENT`, `EACCES`, `E2BIG`, `EMFILE`, ...). */
  readonly errno: string | undefined;

  constructor(
    code: SpawnErrorCode,
    processName: string,
    reason: string,
    options?: { cause?: unknown; errno?: string },
  ) {
    super(`Failed to spawn process '${processName}': ${reason}`, { cause: options?.cause });
    this.code = code;
    this.processName = processName;
    this.reason = reason;
    this.errno = options?.errno;
  }
}

/** Why data could not be written to a child's stdin. */
export type StdinErrorCode = 'STDIN_NOT_PIPED' | 'STDIN_CLOSED' | 'STDIN_ENDED' | 'PROCESS_NOT_RUNNING';

/** A write or end on `proc.stdin` failed; EPIPE and writes after exit become this, never an uncaught error. */
export class StdinError extends RxprocError {
  /** What went wrong, as a stable code. */
  readonly code: StdinErrorCode;
  readonly processName: string;

  constructor(code: StdinErrorCode, processName: string, detail: string, options?: { cause?: unknown }) {
    super(`Cannot write to stdin of process '${processName}': ${detail}`, { cause: options?.cause });
    this.code = code;
    this.processName = processName;
  }
}

/** An operation was cancelled through its `AbortSignal`. `cause` holds the signal's reason. */
export class AbortedError extends RxprocError {
  /** Always `ABORTED`. */
  readonly code = 'ABORTED' as const;

  constructor(operation: string, reason: unknown) {
    super(`${operation} was aborted`, { cause: reason });
  }
}
