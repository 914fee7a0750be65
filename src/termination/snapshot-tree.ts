import {
  type Observable,
  type SchedulerLike,
  catchError,
  defaultIfEmpty,
  defer,
  map,
  of,
  race,
  take,
  timer,
} from 'rxjs';
import { describeValue } from '../core/errors.js';
import type { ProcessInfo, TreeRoot } from '../platform/types.js';
import type { TerminationPort } from './port.js';
import { PROBE_TIMEOUT_MS, SNAPSHOT_MEMBER_LIMIT } from './timing.js';
import type { SnapshotMember, TerminationSnapshotEvent } from './types.js';

interface SnapshotResult {
  readonly outcome: TerminationSnapshotEvent['outcome'];
  readonly processes: readonly ProcessInfo[];
  readonly error?: Error;
}

/** @internal */
/**
 * Takes the tree snapshot once, bounded by {@link PROBE_TIMEOUT_MS}: a snapshot that fails or never answers is
 * recorded as such and the run goes on with nothing to verify, because signalling the group matters more.
 */
export function snapshotTree$(
  port: TerminationPort,
  scheduler: SchedulerLike,
): Observable<TerminationSnapshotEvent> {
  const taken$ = defer(() => port.snapshotTree()).pipe(
    take(1),
    map((processes): SnapshotResult => ({ outcome: 'taken', processes })),
    defaultIfEmpty<SnapshotResult, SnapshotResult>({ outcome: 'taken', processes: [] }),
    catchError((error: unknown) =>
      of<SnapshotResult>({ outcome: 'failed', processes: [], error: toError(error) }),
    ),
  );
  const timedOut$ = timer(PROBE_TIMEOUT_MS, scheduler).pipe(
    map((): SnapshotResult => ({
      outcome: 'timedOut',
      processes: [],
      error: new Error(`the process tree snapshot gave no answer within ${PROBE_TIMEOUT_MS} ms`),
    })),
  );
  return race(taken$, timedOut$).pipe(
    take(1),
    map((result) => toSnapshotEvent(result, port.root, scheduler.now())),
  );
}

function toSnapshotEvent(result: SnapshotResult, root: TreeRoot, at: number): TerminationSnapshotEvent {
  const members = result.processes.map((info) => toMember(info, root));
  // Escapees first: the group SIGKILL never reaches them, so they are the ones verification must not lose.
  const ordered = [
    ...members.filter((m) => m.inGroup === false),
    ...members.filter((m) => m.inGroup !== false),
  ];
  const event: TerminationSnapshotEvent = {
    type: 'snapshot',
    at,
    outcome: result.outcome,
    members: ordered.slice(0, SNAPSHOT_MEMBER_LIMIT),
    total: members.length,
    truncated: members.length > SNAPSHOT_MEMBER_LIMIT,
  };
  return result.error === undefined ? event : { ...event, error: result.error };
}

// A fresh object, so the report does not pin whatever else the platform attached to its records.
function toMember(info: ProcessInfo, root: TreeRoot): SnapshotMember {
  return {
    pid: info.pid,
    startTime: info.startTime,
    ppid: info.ppid,
    pgid: info.pgid,
    state: info.state,
    command: info.command,
    inGroup: info.pgid === undefined ? undefined : info.pgid === root.pgid,
  };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(`snapshotTree failed with ${describeValue(value)}`);
}
