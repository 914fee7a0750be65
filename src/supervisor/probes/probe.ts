// TEMPORARY STUB: replaced by the probes branch at merge.
import {
  type Observable,
  type SchedulerLike,
  EMPTY,
  filter,
  first,
  map,
  timeout,
  catchError,
  of,
} from 'rxjs';
import type { ResolvedProbe } from './resolve-probe.js';

/** @internal */
export interface ProbeProgress {
  readonly ok: boolean;
  readonly failures: number;
  readonly error?: string;
  readonly verdict?: 'ready' | 'failed' | 'unhealthy';
}

/** @internal */
export interface ProbeContext {
  readonly scheduler: SchedulerLike;
  readonly lines$: Observable<{ readonly stream: 'stdout' | 'stderr'; readonly line: string }>;
  readonly cwd: string | undefined;
  readonly env: NodeJS.ProcessEnv | undefined;
}

/** @internal */
export function runProbe$(
  probe: ResolvedProbe,
  context: ProbeContext,
  role: 'readiness' | 'liveness',
): Observable<ProbeProgress> {
  if (probe.kind !== 'log' || role === 'liveness') return EMPTY;
  const regex = probe.log!;
  return context.lines$.pipe(
    filter((l) => regex.test(l.line)),
    first(),
    map((): ProbeProgress => ({ ok: true, failures: 0, verdict: 'ready' })),
    probe.timeoutMs === null ? (s) => s : timeout({ first: probe.timeoutMs, scheduler: context.scheduler }),
    catchError(() => of<ProbeProgress>({ ok: false, failures: 1, error: 'timed out', verdict: 'failed' })),
  );
}
