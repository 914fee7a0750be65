import type { SchedulerLike } from 'rxjs';
import type { SignalName } from '../core/signals.js';
import type { ShutdownReason } from './state-types.js';
import type { SupervisorDeps } from './supervisor-deps.js';

/** Stop signals closer together than this are one signal delivered twice. */
const SAME_SIGNAL_MS = 100;

/** @internal */
/** What the triggers ask of the supervisor. */
export interface StopTarget {
  readonly phase: 'running' | 'stopping' | 'stopped';
  beginStop(reason: ShutdownReason): void;
  force(): void;
}

/** @internal */
/**
 * Wires what stops a supervisor from outside: an abort signal, and this process's SIGINT, SIGTERM and SIGHUP (the
 * first is one ordered stop, a second kills). Returns the teardown, to run once the supervisor stopped: it removes
 * the listeners and, when a parent signal stopped it and the application does not listen for that signal itself,
 * raises the signal again so the process ends as it would have (128 + n).
 */
export function listenForStops(
  target: StopTarget,
  options: { readonly signal: AbortSignal | undefined; readonly parentSignals: 'stop' | 'none' },
  deps: Pick<SupervisorDeps, 'parentSignals' | 'cleanupListening'>,
  scheduler: SchedulerLike,
): () => void {
  const undo: (() => void)[] = [];
  const { signal } = options;
  if (signal !== undefined) {
    const onAbort = (): void => {
      if (target.phase === 'running') target.beginStop({ type: 'abort' });
    };
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      undo.push(() => signal.removeEventListener('abort', onAbort));
    }
  }
  if (options.parentSignals === 'stop') {
    let reraise: SignalName | undefined;
    let firstAt = Number.NEGATIVE_INFINITY;
    const remove = deps.parentSignals.listen({
      onExit: () => undefined,
      onSignal: (parentSignal, _othersListening, others = 0) => {
        if (target.phase === 'stopping') {
          // One Ctrl-C often arrives twice (from the terminal, and relayed by a parent such as npm or tsx): a
          // second press is a person's, and comes later than this.
          if (scheduler.now() - firstAt >= SAME_SIGNAL_MS) target.force();
          return;
        }
        firstAt = scheduler.now();
        if (target.phase !== 'running') return;
        // rxproc's own parent-exit listener is not the application listening.
        const applicationListens = others - (deps.cleanupListening() ? 1 : 0) > 0;
        if (!applicationListens) reraise = parentSignal;
        target.beginStop({ type: 'signal', signal: parentSignal });
      },
    });
    undo.push(() => {
      remove();
      if (reraise !== undefined) deps.parentSignals.reraise(reraise);
    });
  }
  return () => {
    for (const step of undo.splice(0)) step();
  };
}
