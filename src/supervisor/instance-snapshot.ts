import type { ServiceInstance } from './instance.js';
import type { ServiceState } from './state-types.js';

/** @internal */
/** An instance as a dashboard sees it: a plain, immutable snapshot. */
export function snapshotOf(instance: ServiceInstance): ServiceState {
  return {
    name: instance.name,
    service: instance.config.service,
    status: instance.status,
    readiness: instance.readiness,
    dependsOn: instance.config.dependsOn,
    waitingFor: instance.waitingFor,
    pid: instance.pid,
    restarts: instance.restarts,
    maxRestarts: instance.config.restart.maxRestarts,
    startedAt: instance.startedAt,
    readyAt: instance.readyAt,
    nextStartAt: instance.nextStartAt,
    exitStatus: instance.exitStatus,
    reason: instance.reason,
    lastLine: instance.lastLine,
    usage: instance.usage,
    holdouts: instance.holdouts,
  };
}
