import type { Observable } from 'rxjs';
import type {
  OutputLine,
  ShutdownReason,
  ServiceStopReport,
  SupervisorEvent,
  SupervisorReport,
  SupervisorState,
} from './state-types.js';

/** A running set of services; see {@link supervise}. */
export interface Supervisor {
  /**
   * Snapshots of every service. Emits the current snapshot to each new subscriber, then on change, at most once
   * per `stateIntervalMs` (a flood of output lines does not flood it). Completes once the supervisor stopped.
   */
  readonly state$: Observable<SupervisorState>;
  /** Every event, hot; late subscribers first get the last `eventReplay` events. Completes after the stop. */
  readonly events$: Observable<SupervisorEvent>;
  /** Every line of every service, hot; late subscribers first get the last `outputReplay` lines. */
  readonly output$: Observable<OutputLine>;
  /** The latest snapshot (not coalesced). */
  readonly state: SupervisorState;
  /** Resolves with the report once the supervisor stopped, whatever stopped it. Never rejects. */
  readonly stopped: Promise<SupervisorReport>;
  /**
   * Resolves when every named service (default: all that autostart, replicas included) is `running` and ready.
   * Rejects with a {@link ServiceNotReadyError} naming the first that failed, was skipped or stopped first.
   */
  ready(services?: readonly string[]): Promise<void>;
  /**
   * Stops every service in reverse dependency order (in parallel within a level), each with its `shutdown`;
   * cancels pending restarts. A second call while stopping kills everything still running at once. Resolves with
   * the report; never rejects. `reason` is what the report and the `shutdown` event give as the cause (default
   * `{ type: 'request' }`), so an application that stops on a signal of its own can say so.
   */
  stop(reason?: ShutdownReason): Promise<SupervisorReport>;
  /** Kills every service at once (SIGKILL to each group, then verification). */
  kill(): Promise<SupervisorReport>;
  /** Stops a service (a name covers all its replicas) with its `shutdown`; dependents keep running. */
  stopService(name: string): Promise<readonly ServiceStopReport[]>;
  /**
   * Backpressure for a consumer of `output$` that cannot keep up (a terminal, a pipe): until the returned function is
   * called, no service's output is read, so the services block on their writes instead of lines piling up or being
   * dropped. Holds nest. A service being stopped is read regardless (a stopping process must never block).
   */
  pauseOutput(): () => void;
  /** Kills a service (a name covers all its replicas) at once: SIGKILL to each group, then verification. */
  killService(name: string): Promise<readonly ServiceStopReport[]>;
  /** Starts a stopped, completed, failed or skipped service again (its dependencies must still be met). */
  startService(name: string): void;
  /**
   * Stops the service, then starts it again; its restart count is reset. Resolves once it was started again (or is
   * waiting for its dependencies): use `ready([name])` to wait until it is ready.
   */
  restart(name: string): Promise<void>;
}
