import { type Observable, concatMap, defer, forkJoin, from, mergeMap, of, toArray } from 'rxjs';
import type { ServiceInstance } from './instance.js';
import type { ServiceStopReport } from './state-types.js';

/** @internal */
/**
 * Stops instances level by level (level 0, the ones nothing depends on, first), every instance of a level in
 * parallel, the next level once the previous one is down. `mode()` is read as each level starts, so a second stop
 * request turns the levels still to come into kills.
 */
export function orderedStop$(
  instances: readonly ServiceInstance[],
  levelOf: (instance: ServiceInstance) => number,
  mode: () => 'graceful' | 'kill',
  reason: string,
): Observable<ServiceStopReport[]> {
  const levels = new Map<number, ServiceInstance[]>();
  for (const instance of instances) {
    const level = levelOf(instance);
    levels.set(level, [...(levels.get(level) ?? []), instance]);
  }
  const ordered = [...levels.keys()].sort((a, b) => a - b).map((level) => levels.get(level)!);
  if (ordered.length === 0) return of([]);
  return from(ordered).pipe(
    concatMap((level) => defer(() => forkJoin(level.map((instance) => instance.stop$(mode(), reason))))),
    mergeMap((reports) => reports),
    toArray(),
  );
}
