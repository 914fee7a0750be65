/**
 * rxproc: child processes as Observables, in their own process groups, with bounded output and verified
 * termination.
 */
export { spawn } from './process/spawn.js';
export { ProcessHandle, type SendSignalResult } from './process/handle.js';
export type { SpawnOptions } from './process/options.js';
export type { NameParts } from './process/naming.js';
export type { WaitOptions, WaitOutcome } from './process/wait.js';
export type { ProcessStdin } from './process/stdin.js';
export type {
  ProcessEvent,
  ProcessState,
  SignalCause,
  SpawnedEvent,
  SpawnFailedEvent,
  SignalSentEvent,
  SignalFailedEvent,
  StdinClosedEvent,
  ExitedEvent,
} from './process/events.js';
export {
  SpawnError,
  StdinError,
  AbortedError,
  type SpawnErrorCode,
  type StdinErrorCode,
} from './process/errors.js';
export { RxprocError, InvalidOptionError, InvalidSignalError } from './core/errors.js';
export { type ExitStatus, isSuccess } from './core/exit-status.js';
export type { SignalName } from './core/signals.js';
export type {
  Platform,
  ProcessIdentity,
  ProcessInfo,
  ProcessRunState,
  SignalOutcome,
  SignalFailureCode,
  ResourceUsage,
  TreePrecision,
} from './platform/types.js';
export { currentPlatform } from './platform/index.js';
