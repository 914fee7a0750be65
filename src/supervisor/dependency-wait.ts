import { type Observable, combineLatest, map, takeWhile } from 'rxjs';
import type { DependencyCondition } from './config-types.js';
import { type ConditionState, type InstanceFacts, conditionState } from './conditions.js';

/** @internal */
/** Where an instance's dependencies stand together. */
export type DependencyVerdict =
  | { readonly type: 'waiting'; readonly waitingFor: readonly string[] }
  | { readonly type: 'met' }
  | { readonly type: 'impossible'; readonly reason: string };

/** @internal */
/**
 * The verdicts of an instance's dependencies as they change, ending with the first `met` or `impossible` (one
 * dependency that can never meet its condition is enough: nothing waits forever).
 */
export function dependencyVerdicts$(
  dependsOn: Readonly<Record<string, DependencyCondition>>,
  facts$: (instance: string) => Observable<InstanceFacts>,
): Observable<DependencyVerdict> {
  const entries = Object.entries(dependsOn);
  return combineLatest(
    entries.map(([instance, condition]) =>
      facts$(instance).pipe(
        map((facts): [string, ConditionState] => [instance, conditionState(facts, condition)]),
      ),
    ),
  ).pipe(
    map(verdictOf),
    takeWhile((verdict) => verdict.type === 'waiting', true),
  );
}

function verdictOf(states: readonly (readonly [string, ConditionState])[]): DependencyVerdict {
  const waitingFor: string[] = [];
  for (const [instance, state] of states) {
    if (state.type === 'impossible') return { type: 'impossible', reason: state.reason };
    if (state.type === 'pending') waitingFor.push(instance);
  }
  return waitingFor.length === 0 ? { type: 'met' } : { type: 'waiting', waitingFor };
}
