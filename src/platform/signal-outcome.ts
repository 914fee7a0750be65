/**
 * The safety rules every `kill` in the library goes through, and the mapping of thrown errors to
 * {@link SignalOutcome}. Shared by the per-OS modules so the refusals are the same everywhere.
 */
import type { SignalFailureCode, SignalOutcome } from './types.js';

/** @internal */
/** The success outcome; one frozen object, since outcomes are values. */
export const SIGNAL_OK: SignalOutcome = Object.freeze({ ok: true });

/** @internal */
/**
 * Why a target must not be handed to the OS, or `undefined` when it may be. Pid 0 and negative numbers would
 * reach the caller's own group or every process it may signal, 1 is init, and non-integers are never real pids.
 * `forbidden` lists the caller's own pid or group, which the library must never hit by mistake.
 */
export function unsafeTargetReason(
  target: number,
  forbidden: readonly (number | undefined)[],
): string | undefined {
  if (!Number.isSafeInteger(target) || target <= 1) {
    return `refusing to signal ${String(target)}: not an integer greater than 1`;
  }
  if (forbidden.includes(target)) {
    return `refusing to signal ${target}: it is this process or its own process group`;
  }
  return undefined;
}

/** @internal */
/** An outcome for a target refused before asking the OS. */
export function refused(reason: string): SignalOutcome {
  return { ok: false, code: 'unsafeTarget', error: new Error(reason) };
}

const knownCodes = new Set<string>(['ESRCH', 'EPERM', 'EINVAL', 'ENOSYS']);

/** @internal */
/** Maps whatever `process.kill` threw to an outcome; an unexpected shape becomes `unknown`. */
export function outcomeFromError(thrown: unknown): SignalOutcome {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errno = (error as NodeJS.ErrnoException).code;
  const code: SignalFailureCode =
    errno !== undefined && knownCodes.has(errno) ? (errno as SignalFailureCode) : 'unknown';
  return { ok: false, code, error };
}

/** @internal */
/** Runs one OS send and maps its result; never throws. */
export function trySignal(send: () => void): SignalOutcome {
  try {
    send();
    return SIGNAL_OK;
  } catch (error) {
    return outcomeFromError(error);
  }
}

/** @internal */
/**
 * {@link trySignal} for a probe whose failure is expected (signal 0 to a group that is usually gone): the error
 * Node throws is built without a stack trace, which is most of its cost.
 */
export function probeSignal(send: () => void): SignalOutcome {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return trySignal(send);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
