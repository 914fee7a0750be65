import { constants } from 'node:os';
import { InvalidSignalError } from './errors.js';

/** A signal name Node knows on this platform, such as `'SIGTERM'`. */
export type SignalName = NodeJS.Signals;

const knownSignals = new Set(Object.keys(constants.signals));

/** Signals that pause or resume a process rather than end it; never valid as a termination step. */
const nonTerminating = new Set<string>([
  'SIGSTOP',
  'SIGTSTP',
  'SIGCONT',
  'SIGTTIN',
  'SIGTTOU',
  'SIGWINCH',
  'SIGCHLD',
  'SIGURG',
]);

/** @internal */
/**
 * Checks that `value` is a signal name this platform knows, spelled exactly (`'SIGTERM'`, not `'sigterm'`, `'TERM'`
 * or `15`), so what is validated is what is sent.
 * @throws {@link InvalidSignalError}
 */
export function validateSignal(value: unknown): SignalName {
  if (typeof value !== 'string') {
    throw new InvalidSignalError(value, 'expected a signal name such as "SIGTERM"');
  }
  if (!knownSignals.has(value)) {
    throw new InvalidSignalError(value, 'not a signal name known on this platform');
  }
  return value as SignalName;
}

/** @internal */
/**
 * Like {@link validateSignal}, and also rejects signals that cannot end a process (SIGSTOP, SIGCONT, ...).
 * @throws {@link InvalidSignalError}
 */
export function validateTerminationSignal(value: unknown): SignalName {
  const signal = validateSignal(value);
  if (nonTerminating.has(signal)) {
    throw new InvalidSignalError(value, 'it does not terminate a process');
  }
  return signal;
}

/** @internal */
/** The number of a signal on this platform, for `128 + n` exit codes. */
export function signalNumber(signal: SignalName): number {
  return constants.signals[signal];
}
