import {
  type Observable,
  combineLatest,
  firstValueFrom,
  map,
  merge,
  mergeMap,
  take,
  throwError,
  EMPTY,
} from 'rxjs';
import { ServiceNotReadyError } from './errors.js';
import type { ServiceInstance } from './instance.js';
import type { SupervisorReport } from './state-types.js';

/** @internal */
/**
 * Resolves once every instance is `running` (spawned and ready) or `completed` with code 0 (a one-shot task did
 * its job); rejects with a {@link ServiceNotReadyError} naming the first that ended otherwise, or when the
 * supervisor stopped first.
 */
export function readyWait(
  instances: readonly ServiceInstance[],
  stopped$: Observable<SupervisorReport>,
): Promise<void> {
  if (instances.length === 0) return Promise.resolve();
  const verdicts$ = combineLatest(instances.map((instance) => instance.facts$)).pipe(
    mergeMap((all) => {
      const failed = all.find(
        (facts) =>
          facts.status === 'failed' ||
          facts.status === 'skipped' ||
          facts.status === 'stopped' ||
          facts.status === 'stopping' ||
          (facts.status === 'completed' && facts.exitStatus?.code !== 0),
      );
      if (failed !== undefined) {
        return throwError(
          () => new ServiceNotReadyError(failed.name, failed.status, failed.reason ?? 'no reason given'),
        );
      }
      const done = all.every(
        (facts) =>
          facts.status === 'running' || (facts.status === 'completed' && facts.exitStatus?.code === 0),
      );
      return done ? [undefined] : EMPTY;
    }),
  );
  const supervisorStopped$ = stopped$.pipe(
    mergeMap(() =>
      throwError(() => new ServiceNotReadyError(instances[0]!.name, 'stopped', 'the supervisor stopped')),
    ),
  );
  return firstValueFrom(
    merge(verdicts$, supervisorStopped$).pipe(
      take(1),
      map(() => undefined),
    ),
  );
}
