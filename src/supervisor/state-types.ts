import type { ExitStatus } from '../core/exit-status.js';
import type { SignalName } from '../core/signals.js';
import type { ProcessEvent } from '../process/events.js';
import type { TerminationReport } from '../termination/types.js';
import type { DependencyCondition, ProbeKind } from './config-types.js';

/**
 * Where a service is:
 * - `waiting`: its dependencies are not met yet (`waitingFor` says which);
 * - `starting`: spawned, its readiness probe has not passed yet;
 * - `running`: spawned and ready (or without a probe);
 * - `backoff`: exited, restarting at `nextStartAt`;
 * - `stopping`: being terminated (`holdouts` says which processes are still alive, once a phase timed out);
 * - `completed`: exited and not restarted (see `exitStatus`);
 * - `stopped`: stopped on request (or never started: `autostart: false`);
 * - `failed`: spawn failed, readiness failed, or restarts ran out (see `reason`);
 * - `skipped`: never started because a dependency cannot meet its condition (see `reason`).
 */
export type ServiceStatus =
  | 'waiting'
  | 'starting'
  | 'running'
  | 'backoff'
  | 'stopping'
  | 'completed'
  | 'stopped'
  | 'failed'
  | 'skipped';

/** The usage of a service's whole process tree over the last sampling interval. */
export interface ServiceUsage {
  /** CPU as a percentage of one core. */
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly processes: number;
}

/** One service (one replica) in a {@link SupervisorState}. */
export interface ServiceState {
  /** The instance name (`api`, or `api.2` for a replica). */
  readonly name: string;
  /** The configured service name (without a replica suffix). */
  readonly service: string;
  readonly status: ServiceStatus;
  /** Whether it has a readiness probe, and whether that passed during the current run. */
  readonly readiness: 'none' | 'pending' | 'ready' | 'failed';
  /** Dependencies, by instance name, with their conditions. */
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>;
  /** While `waiting`: the instances not yet meeting their condition. */
  readonly waitingFor: readonly string[];
  readonly pid: number | undefined;
  /** How many times it was restarted (since the last reset after a stable run). */
  readonly restarts: number;
  /** The restart limit in force (`Infinity` when unlimited). */
  readonly maxRestarts: number;
  /** Scheduler time of the current run's spawn. */
  readonly startedAt: number | undefined;
  /** Scheduler time at which the current run became ready. */
  readonly readyAt: number | undefined;
  /** While in `backoff`: the scheduler time of the next start. */
  readonly nextStartAt: number | undefined;
  /** The last exit status. */
  readonly exitStatus: ExitStatus | undefined;
  /** Why it is `failed`, `skipped`, `stopped` or `completed` (for people). */
  readonly reason: string | undefined;
  /** The last line of output (either stream), truncated to 200 characters. */
  readonly lastLine: string | undefined;
  /** The last usage sample of its tree, while running and sampled. */
  readonly usage: ServiceUsage | undefined;
  /** While `stopping`, after a phase timed out: the processes still alive. */
  readonly holdouts: readonly number[];
}

/** What `state$` emits: a snapshot of every service, in dependency order (dependencies first). */
export interface SupervisorState {
  /** `running` until a stop begins; `stopping`; `stopped` once every service is down. */
  readonly phase: 'running' | 'stopping' | 'stopped';
  /** Scheduler time of the snapshot. */
  readonly at: number;
  readonly services: readonly ServiceState[];
}

/** One line of a service's output. */
export interface OutputLine {
  readonly service: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
  /** True when the line was cut to `maxLineLength`. */
  readonly truncated: boolean;
  /** Scheduler time it was read. */
  readonly at: number;
}

/** How one service ended in a stop. */
export interface ServiceStopReport {
  readonly service: string;
  /**
   * - `terminated`: it was running and is now gone with its tree (`report` says how);
   * - `notRunning`: it had already ended, or never started;
   * - `failed`: termination failed (`error`): something may be left.
   */
  readonly outcome: 'terminated' | 'notRunning' | 'failed';
  readonly report?: TerminationReport;
  readonly error?: Error;
  /** The status the service had when the stop began. */
  readonly statusBefore: ServiceStatus;
}

/** What `stop()` resolves with. */
export interface SupervisorReport {
  /** Why the supervisor stopped. */
  readonly reason: ShutdownReason;
  /** True when a second request (or a second signal) killed what was still stopping. */
  readonly forced: boolean;
  /** Every service, in the order they were stopped. */
  readonly services: readonly ServiceStopReport[];
  /** Scheduler time the stop took. */
  readonly durationMs: number;
}

/** What started the supervisor's stop. */
export type ShutdownReason =
  | { readonly type: 'request' }
  | { readonly type: 'abort' }
  | { readonly type: 'signal'; readonly signal: SignalName }
  | { readonly type: 'serviceFailed'; readonly service: string }
  /** A service whose end ends the run ended (the CLI's `exit_on_end`, `--exit-code-from`, `run`). */
  | { readonly type: 'serviceEnded'; readonly service: string }
  /** Every service ended by itself (completed, failed or skipped): nothing is left to supervise. */
  | { readonly type: 'allEnded' };

/** Every event of a supervisor, as a discriminated union on `type`. */
export type SupervisorEvent =
  | { readonly type: 'process'; readonly service: string; readonly at: number; readonly event: ProcessEvent }
  | {
      readonly type: 'status';
      readonly service: string;
      readonly at: number;
      readonly status: ServiceStatus;
      readonly previous: ServiceStatus;
      readonly reason?: string;
    }
  | {
      readonly type: 'started';
      readonly service: string;
      readonly at: number;
      readonly pid: number;
      readonly run: number;
    }
  | { readonly type: 'ready'; readonly service: string; readonly at: number; readonly afterMs: number }
  | {
      readonly type: 'probe';
      readonly service: string;
      readonly at: number;
      readonly probe: 'readiness' | 'liveness';
      readonly kind: ProbeKind;
      readonly ok: boolean;
      /** Consecutive failures so far (0 after a success). */
      readonly failures: number;
      readonly error?: string;
    }
  | {
      readonly type: 'exited';
      readonly service: string;
      readonly at: number;
      readonly status: ExitStatus;
      readonly expected: boolean;
    }
  | {
      readonly type: 'restartScheduled';
      readonly service: string;
      readonly at: number;
      readonly delayMs: number;
      readonly restart: number;
      readonly maxRestarts: number;
    }
  | { readonly type: 'skipped'; readonly service: string; readonly at: number; readonly reason: string }
  | { readonly type: 'failed'; readonly service: string; readonly at: number; readonly reason: string }
  | {
      readonly type: 'stopping';
      readonly service: string;
      readonly at: number;
      readonly holdouts: readonly number[];
    }
  | {
      readonly type: 'stopped';
      readonly service: string;
      readonly at: number;
      readonly report: ServiceStopReport;
    }
  | {
      readonly type: 'shutdown';
      readonly at: number;
      readonly stage: 'started' | 'forced';
      readonly reason: ShutdownReason;
    }
  | { readonly type: 'shutdownCompleted'; readonly at: number; readonly report: SupervisorReport };
