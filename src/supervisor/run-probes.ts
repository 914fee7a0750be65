import { type Observable, EMPTY, concat, defer, ignoreElements, tap } from 'rxjs';
import type { InstanceContext } from './instance-context.js';
import type { ProbeProgress } from './probes/probe-progress.js';
import type { ResolvedProbe } from './probes/resolve-probe.js';
import type { ResolvedInstance } from './resolve-config.js';
import type { ServiceLine } from './probes/log-probe.js';

/** @internal */
/** What one run's probes report to their instance. */
export interface RunProbeHooks {
  /** Every attempt, as the `probe` event's fields. */
  attempt(role: 'readiness' | 'liveness', probe: ResolvedProbe, progress: ProbeProgress): void;
  /** The readiness probe passed. */
  ready(): void;
  /** A probe failed for good: the run must end (`cause` says why, for people). */
  failed(role: 'readiness' | 'liveness', cause: string): void;
}

/** @internal */
/**
 * One run's probes: readiness first (if any), then liveness (if any, and once ready). Side effects only, through
 * `hooks`; unsubscribing (the run ended, or a stop) cancels them.
 */
export function runProbes$(
  config: ResolvedInstance,
  context: InstanceContext,
  lines$: Observable<ServiceLine>,
  hooks: RunProbeHooks,
): Observable<never> {
  const probeContext = { scheduler: context.scheduler, lines$, cwd: config.cwd, env: config.env };
  let readinessFailed = false;
  const ready = config.ready;
  const readiness$ =
    ready === undefined
      ? EMPTY
      : context.probe(ready, probeContext, 'readiness').pipe(
          tap((progress) => {
            hooks.attempt('readiness', ready, progress);
            if (progress.verdict === 'ready') hooks.ready();
            if (progress.verdict === 'failed') {
              readinessFailed = true;
              hooks.failed('readiness', `readiness failed: ${progress.error ?? 'no success'}`);
            }
          }),
        );
  const liveness = config.liveness;
  const liveness$ = defer(() =>
    liveness === undefined || readinessFailed
      ? EMPTY
      : context.probe(liveness, probeContext, 'liveness').pipe(
          tap((progress) => {
            hooks.attempt('liveness', liveness, progress);
            if (progress.verdict === 'unhealthy') {
              hooks.failed('liveness', `liveness failed ${progress.failures} times: ${progress.error ?? ''}`);
            }
          }),
        ),
  );
  return concat(readiness$, liveness$).pipe(ignoreElements());
}
