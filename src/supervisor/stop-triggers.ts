import type { SignalName } from '../core/signals.js';
import type { ShutdownReason } from './state-types.js';
import type { SupervisorDeps } from './supervisor-deps.js';

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
    const remove = deps.parentSignals.listen({
      onExit: () => undefined,
      onSignal: (parentSignal, _othersListening, others = 0) => {
        if (target.phase === 'stopping') {
          target.force();
          return;
        }
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
