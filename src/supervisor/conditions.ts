import type { ExitStatus } from '../core/exit-status.js';
import type { DependencyCondition } from './config-types.js';
import type { ServiceStatus } from './state-types.js';

/** @internal */
/** Statuses a service stays in until someone starts it again. */
export const ENDED_STATUSES: ReadonlySet<ServiceStatus> = new Set([
  'completed',
  'stopped',
  'failed',
  'skipped',
]);

/** @internal */
/** What a dependent needs to know about a dependency. */
export interface InstanceFacts {
  readonly name: string;
  readonly status: ServiceStatus;
  readonly everStarted: boolean;
  readonly everReady: boolean;
  readonly exitStatus: ExitStatus | undefined;
  readonly reason: string | undefined;
}

/** @internal */
export type ConditionState =
  | { readonly type: 'met' }
  | { readonly type: 'pending' }
  | { readonly type: 'impossible'; readonly reason: string };

const MET: ConditionState = { type: 'met' };
const PENDING: ConditionState = { type: 'pending' };

/** @internal */
/**
 * Whether a dependency meets `condition` now, may still meet it, or never will. A dependency that restarts can
 * still meet it; one that ended (`failed`, `skipped`, `stopped`, `completed` without the condition) cannot.
 */
export function conditionState(facts: InstanceFacts, condition: DependencyCondition): ConditionState {
  const ended = ENDED_STATUSES.has(facts.status);
  const why = (): string =>
    `${facts.name} ${facts.status}${facts.reason === undefined ? '' : ` (${facts.reason})`}`;
  switch (condition) {
    case 'started':
      if (facts.everStarted) return MET;
      return ended ? { type: 'impossible', reason: `${why()} before it started` } : PENDING;
    case 'ready':
      if (facts.everReady) return MET;
      return ended ? { type: 'impossible', reason: `${why()} before it was ready` } : PENDING;
    case 'completed':
      if (ended && facts.exitStatus !== undefined && facts.status !== 'stopped') return MET;
      return ended ? { type: 'impossible', reason: `${why()} without completing` } : PENDING;
    case 'succeeded':
      if (facts.status === 'completed' && facts.exitStatus?.code === 0) return MET;
      return ended ? { type: 'impossible', reason: `${why()} without succeeding` } : PENDING;
  }
}
