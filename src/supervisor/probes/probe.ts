import type { Observable, SchedulerLike } from 'rxjs';
import { match } from 'ts-pattern';
import type { ProbeAttempt } from './attempt.js';
import { execAttempt, type ExecAttemptSpec } from './exec-attempt.js';
import { httpAttempt, type HttpAttemptSpec } from './http-attempt.js';
import { logProbe$, type ServiceLine } from './log-probe.js';
import type { ProbeProgress } from './probe-progress.js';
import { probeSchedule$ } from './probe-schedule.js';
import type { ProbeRole, ResolvedProbe } from './resolve-probe.js';
import { tcpAttempt, type TcpAttemptSpec } from './tcp-attempt.js';

/** @internal */
/** The OS side of each probe kind; tests pass fakes. */
export interface ProbeAttempts {
  readonly tcp: ProbeAttempt<TcpAttemptSpec>;
  readonly http: ProbeAttempt<HttpAttemptSpec>;
  readonly exec: ProbeAttempt<ExecAttemptSpec>;
}

/** @internal */
/** The real attempts: sockets, requests and processes. */
export const realProbeAttempts: ProbeAttempts = { tcp: tcpAttempt, http: httpAttempt, exec: execAttempt };

/** @internal */
/** What a probe needs from the service it checks. */
export interface ProbeContext {
  readonly scheduler: SchedulerLike;
  /** The service's output lines, replaying those printed before subscription (for log probes). */
  readonly lines$: Observable<ServiceLine>;
  /** The service's working directory: an exec probe runs there unless it names its own. */
  readonly cwd: string | undefined;
  /** The service's added environment, given to an exec probe too. */
  readonly env: Readonly<Record<string, string>> | undefined;
  /** Default {@link realProbeAttempts}. */
  readonly attempts?: ProbeAttempts;
}

/** @internal */
/**
 * A probe of a running service, as progress ending with a verdict (see {@link probeSchedule$} and
 * {@link logProbe$}). Nothing happens until subscription, which should be at the spawn (readiness) or at
 * readiness (liveness); unsubscribing stops it and releases the attempt in flight.
 */
export function runProbe$(
  resolved: ResolvedProbe,
  context: ProbeContext,
  role: ProbeRole,
): Observable<ProbeProgress> {
  const attempts = context.attempts ?? realProbeAttempts;
  const { scheduler } = context;
  const scheduled = (attempt: () => Observable<void>): Observable<ProbeProgress> =>
    probeSchedule$({ attempt, timing: resolved.timing, role, scheduler });
  const bound = resolved.timing.attemptTimeoutMs;
  return match(resolved)
    .with({ kind: 'log' }, (probe) => logProbe$(context.lines$, probe, scheduler))
    .with({ kind: 'tcp' }, (probe) => scheduled(() => attempts.tcp(probe, bound)))
    .with({ kind: 'http' }, (probe) => scheduled(() => attempts.http(probe, bound)))
    .with({ kind: 'exec' }, (probe) => {
      const spec: ExecAttemptSpec = { ...probe, cwd: probe.cwd ?? context.cwd, env: context.env };
      return scheduled(() => attempts.exec(spec, bound));
    })
    .exhaustive();
}
