import type { SupervisorEvent, SupervisorReport, SupervisorState } from '../index.js';

/** Which service's end decides the exit status (`--success`, `--exit-code-from`, `exit_on_end`). */
export type SuccessRule =
  | { readonly type: 'all' }
  | { readonly type: 'first' }
  | { readonly type: 'last' }
  | { readonly type: 'service'; readonly service: string };

/** The exit statuses of `rxproc up` and `rxproc run`. */
export const EXIT = {
  ok: 0,
  serviceFailed: 1,
  usage: 2,
  dependencyFailed: 3,
} as const;

/** Exit statuses of the services, in the order they ended: what `first` and `last` look at. */
export interface EndRecord {
  readonly service: string;
  readonly code: number | null;
  readonly signal: string | null;
  /** rxproc stopped it (the run's own shutdown, a manual stop): not a failure. */
  readonly expected: boolean;
}

/** Collects the ends of services from the supervisor's events, in order. */
export function recordEnd(ends: EndRecord[], event: SupervisorEvent): void {
  if (event.type !== 'exited') return;
  ends.push({
    service: event.service,
    code: event.status.code,
    signal: event.status.signal,
    expected: event.expected,
  });
}

/**
 * The exit status once the supervisor stopped (a signal is handled by the caller: 128 + n):
 * - 3 when a service was skipped or its readiness failed (a dependency or readiness check failed);
 * - otherwise, by the rule: `all` — 1 when any service failed, else 0; `first`/`last` — the code of the first/last
 *   service to exit on its own; a service — its code (1 when it never exited, or died by a signal it was not sent).
 */
export function exitStatusOf(
  rule: SuccessRule,
  report: SupervisorReport,
  state: SupervisorState,
  ends: readonly EndRecord[],
): number {
  const skippedOrUnready = state.services.some(
    (service) => service.status === 'skipped' || service.readiness === 'failed',
  );
  if (skippedOrUnready) return EXIT.dependencyFailed;
  const own = ends.filter((end) => !end.expected);
  switch (rule.type) {
    case 'all': {
      const failed =
        state.services.some((service) => service.status === 'failed') ||
        report.services.some((s) => s.outcome === 'failed');
      return failed ? EXIT.serviceFailed : EXIT.ok;
    }
    case 'first':
      return codeOf(own[0]);
    case 'last':
      return codeOf(own.at(-1));
    case 'service': {
      const ended = ends.filter(
        (end) => end.service === rule.service || end.service.startsWith(`${rule.service}.`),
      );
      const last = ended.at(-1);
      const failed = state.services.some(
        (service) =>
          (service.name === rule.service || service.service === rule.service) && service.status === 'failed',
      );
      if (last === undefined) return EXIT.serviceFailed;
      // Ended for a failed probe, or restarts exhausted: a failure even when its last exit code was 0.
      if (failed && last.code === 0) return EXIT.serviceFailed;
      return last.expected && last.code === null ? EXIT.ok : codeOf(last);
    }
  }
}

function codeOf(end: EndRecord | undefined): number {
  if (end === undefined) return EXIT.ok;
  if (end.code !== null) return end.code;
  return EXIT.serviceFailed;
}
