import { RxprocError } from '../core/errors.js';

/** A supervisor configuration is wrong: found before anything starts. */
export class SupervisorConfigError extends RxprocError {
  /** Always `INVALID_CONFIG`. */
  readonly code = 'INVALID_CONFIG' as const;
  /** Where in the configuration, as a path such as `services.api.ready.timeoutMs`. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`Invalid supervisor configuration at ${path}: ${problem}`);
    this.path = path;
  }
}

/** Services depend on each other in a circle. */
export class DependencyCycleError extends RxprocError {
  /** Always `DEPENDENCY_CYCLE`. */
  readonly code = 'DEPENDENCY_CYCLE' as const;
  /** The services of the cycle, the first repeated at the end: `['a', 'b', 'a']`. */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super(`Services depend on each other in a cycle: ${cycle.join(' → ')}`);
    this.cycle = cycle;
  }
}

/** A name given to a supervisor method is not a service of it. */
export class UnknownServiceError extends RxprocError {
  /** Always `UNKNOWN_SERVICE`. */
  readonly code = 'UNKNOWN_SERVICE' as const;
  readonly service: string;

  constructor(service: string) {
    super(`No service named ${JSON.stringify(service)}`);
    this.service = service;
  }
}

/** A service that `ready()` waited for will not become ready. */
export class ServiceNotReadyError extends RxprocError {
  /** Always `NOT_READY`. */
  readonly code = 'NOT_READY' as const;
  readonly service: string;
  /** Its status when the wait gave up: `failed`, `skipped`, `stopped`, `completed`, or the supervisor stopping. */
  readonly status: string;
  readonly reason: string;

  constructor(service: string, status: string, reason: string) {
    super(`Service ${service} will not be ready (${status}): ${reason}`);
    this.service = service;
    this.status = status;
    this.reason = reason;
  }
}

/** The supervisor is stopping or stopped: services can no longer be started. */
export class SupervisorStoppedError extends RxprocError {
  /** Always `SUPERVISOR_STOPPED`. */
  readonly code = 'SUPERVISOR_STOPPED' as const;

  constructor(action: string) {
    super(`Cannot ${action}: the supervisor is stopping or stopped`);
  }
}
