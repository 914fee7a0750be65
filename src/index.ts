/**
 * rxproc: child processes as Observables, in their own process groups, with bounded output and verified
 * termination.
 */
export { spawn, spawn$ } from './process/spawn.js';
export { linesOf$, chunksOf$, linesOf, type OutputOfOptions } from './process/output-of.js';
export { run, type RunOptions, type RunResult } from './process/run.js';
export { ExitError, EXIT_ERROR_STDERR_LINES, type ExitErrorCode } from './process/exit-error.js';
export { ProcessHandle, type SendSignalResult } from './process/handle.js';
export type { ProcessUsage, UsageFigures } from './process/usage.js';
export type { ProcessTable, ProcessRow, TableScan } from './platform/process-table.js';
export type { SpawnOptions } from './process/options.js';
export type { ParentSignalPolicy } from './process/parent-signal-policy.js';
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
  TerminationStartedEvent,
  PhaseTimeoutEvent,
  VerifiedEvent,
  TerminatedEvent,
  TerminationFailedEvent,
} from './process/events.js';
export {
  GracefulShutdown,
  type GracefulShutdownOptions,
  type ShutdownPhase,
  type SurvivorPolicy,
} from './termination/graceful-shutdown.js';
export { terminate$, terminate, type TerminateOptions } from './termination/terminate.js';
export type { TerminationPort, PortAnswer, RecentSignal } from './termination/port.js';
export { TerminationError } from './termination/error.js';
export type {
  EndedBy,
  StopReason,
  SnapshotMember,
  SnapshotOutcome,
  TerminationAttempt,
  TerminationReport,
  TerminationEvent,
  TerminationRunStartedEvent,
  TerminationSnapshotEvent,
  TerminationSignalSentEvent,
  TerminationSignalFailedEvent,
  TerminationTimeoutEvent,
  TerminationInterruptedEvent,
  TerminationExitedEvent,
  TerminationSurvivorKilledEvent,
  TerminationVerifiedEvent,
  TerminationCompletedEvent,
} from './termination/types.js';
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
  TreePrecision,
  TreeMarker,
  Holdout,
  SignalDisposition,
} from './platform/types.js';
export { currentPlatform } from './platform/index.js';
export {
  OutputStream,
  LineParser,
  OUTPUT_STREAM_DEFAULTS,
  OutputChunkTypeError,
  OutputPrematureCloseError,
  OutputStreamStateError,
  SinkOverflowError,
  SinkWriteError,
  type OutputClosed,
  type OutputStats,
  type PullOptions,
  type LineParserOptions,
  type LineSink,
  type Delivery,
  type LineOverflow,
  type OutputMode,
  type OutputStreamOptions,
  type ReplayPolicy,
  type DropStats,
  type OutputGap,
  type OutputIterator,
} from './streams/index.js';
export { splitLines, type SplitLinesOptions } from './operators/split-lines.js';
export {
  collectLines,
  COLLECT_LINES_DEFAULTS,
  type CollectLinesOptions,
  type CollectedLines,
} from './operators/collect-lines.js';
export {
  collectBytes,
  COLLECT_BYTES_DEFAULTS,
  type CollectBytesOptions,
  type CollectedBytes,
} from './operators/collect-bytes.js';
export {
  waitForLine,
  type LineMatcher,
  type WaitForLineOptions,
  type WaitForLineResult,
} from './operators/wait-for-line.js';
export { writeTo, type WriteToOptions, type WriteToResult } from './operators/write-to.js';
export type { CollectedOutput, LinesOutput, BytesOutput } from './process/collect-output.js';
export type { OutputClosedEvent } from './process/events.js';
export { supervise, checkSupervisorConfig } from './supervisor/supervisor.js';
export type { Supervisor } from './supervisor/supervisor-types.js';
export type {
  SupervisorConfig,
  SupervisorOptions,
  ServiceConfig,
  DependencyCondition,
  ProbeTiming,
  ProbeConfig,
  ProbeKind,
  LogProbe,
  TcpProbe,
  HttpProbe,
  ExecProbe,
  RestartPolicy,
  RestartConfig,
  BackoffConfig,
  FailurePolicy,
} from './supervisor/config-types.js';
export type {
  ServiceStatus,
  ServiceState,
  ServiceUsage,
  SupervisorState,
  OutputLine,
  ServiceStopReport,
  SupervisorReport,
  ShutdownReason,
  SupervisorEvent,
} from './supervisor/state-types.js';
export {
  SupervisorConfigError,
  DependencyCycleError,
  UnknownServiceError,
  ServiceNotReadyError,
  SupervisorStoppedError,
} from './supervisor/errors.js';
