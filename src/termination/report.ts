import type { SignalName } from '../core/signals.js';
import type {
  StopReason,
  TerminationAttempt,
  TerminationEvent,
  TerminationExitedEvent,
  TerminationReport,
  TerminationSnapshotEvent,
  TerminationVerifiedEvent,
} from './types.js';

/** @internal */
/** What the run has learned so far, folded from its events with `scan`. */
export interface RunRecord {
  readonly attempts: readonly TerminationAttempt[];
  readonly signalsSent: readonly SignalName[];
  readonly signalsForwarded: readonly SignalName[];
  readonly reason: StopReason;
  readonly snapshot: TerminationSnapshotEvent | undefined;
  readonly exited: TerminationExitedEvent | undefined;
  readonly verified: TerminationVerifiedEvent | undefined;
}

/** @internal */
/** The record before any event. */
export const emptyRecord: RunRecord = {
  attempts: [],
  signalsSent: [],
  signalsForwarded: [],
  reason: 'terminated',
  snapshot: undefined,
  exited: undefined,
  verified: undefined,
};

/** @internal */
/** Adds one event to the record. Pure; attempts stay in the order they happened. */
export function recordEvent(record: RunRecord, event: TerminationEvent): RunRecord {
  switch (event.type) {
    case 'signalSent':
      return event.forwardedAt === undefined
        ? { ...record, signalsSent: [...record.signalsSent, event.signal] }
        : { ...record, signalsForwarded: [...record.signalsForwarded, event.signal] };
    case 'signalFailed': {
      const { phase, signal, code, error } = event;
      return {
        ...record,
        attempts: [...record.attempts, { kind: 'sendFailed', phase, signal, code, error }],
      };
    }
    case 'timeout': {
      const { phase, signal, timeoutMs, holdouts } = event;
      const attempt: TerminationAttempt = {
        kind: 'timedOut',
        phase,
        signal,
        timeoutMs,
        ...(holdouts === undefined ? {} : { holdouts }),
      };
      return { ...record, attempts: [...record.attempts, attempt] };
    }
    case 'interrupted': {
      const { phase, signal } = event;
      return { ...record, attempts: [...record.attempts, { kind: 'interrupted', phase, signal }] };
    }
    case 'snapshot':
      return { ...record, snapshot: event };
    case 'exited':
      return { ...record, exited: event };
    case 'verified':
      return { ...record, verified: event };
    case 'started':
      return { ...record, reason: event.reason };
    case 'survivorKilled':
    case 'completed':
      return record;
  }
}

/** @internal */
/** The final report; only valid once the exit has been recorded. */
export function buildReport(processName: string, record: RunRecord, durationMs: number): TerminationReport {
  const { exited, snapshot, verified } = record;
  if (exited === undefined) {
    // The pipeline only asks for a report after an `exited` event; reaching this is a bug in it.
    throw new Error(`rxproc internal error: termination report for '${processName}' without an exit`);
  }
  return {
    processName,
    status: exited.status,
    endedBy: exited.endedBy,
    reason: record.reason,
    forced: exited.endedBy === 'SIGKILL',
    durationMs,
    attempts: record.attempts,
    signalsSent: record.signalsSent,
    signalsForwarded: record.signalsForwarded,
    snapshotOutcome: snapshot?.outcome ?? 'skipped',
    snapshot: snapshot?.members ?? [],
    snapshotTruncated: snapshot?.truncated ?? false,
    survivorsKilled: verified?.killed ?? [],
    stillAlive: verified?.stillAlive ?? [],
  };
}
