/** Builders of supervisor events, lines and states for the renderer tests. */
import type { OutputLine, ServiceState, SupervisorEvent } from '../../../../src/supervisor/state-types.js';
import type { TerminationReport } from '../../../../src/termination/types.js';

export function out(service: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): OutputLine {
  return { service, stream, line, truncated: false, at: 0 };
}

export function terminationReport(over: Partial<TerminationReport> = {}): TerminationReport {
  return {
    processName: 'x',
    status: { code: null, signal: 'SIGTERM' },
    endedBy: 'SIGTERM',
    reason: 'terminated',
    forced: false,
    durationMs: 300,
    attempts: [],
    signalsSent: ['SIGTERM'],
    signalsForwarded: [],
    snapshotOutcome: 'taken',
    snapshot: [],
    snapshotTruncated: false,
    survivorsKilled: [],
    stillAlive: [],
    ...over,
  };
}

export function stoppedEvent(service: string): SupervisorEvent {
  return {
    type: 'stopped',
    service,
    at: 0,
    report: { service, outcome: 'terminated', statusBefore: 'running', report: terminationReport() },
  };
}

export function service(name: string, over: Partial<ServiceState> = {}): ServiceState {
  return {
    name,
    service: name,
    status: 'running',
    readiness: 'none',
    dependsOn: {},
    waitingFor: [],
    pid: 1000,
    restarts: 0,
    maxRestarts: 5,
    startedAt: 0,
    readyAt: undefined,
    nextStartAt: undefined,
    exitStatus: undefined,
    reason: undefined,
    lastLine: undefined,
    usage: undefined,
    holdouts: [],
    ...over,
  };
}
