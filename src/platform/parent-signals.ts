import type { SignalName } from '../core/signals.js';

/** @internal */
/** The signals a terminal or a service manager sends to stop this process. */
export const PARENT_STOP_SIGNALS: readonly SignalName[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** @internal */
/** What happens to this process that its children must hear about. */
export interface ParentSignalHandlers {
  /** This process is exiting (normal end, `process.exit`, an uncaught error): only synchronous work is possible. */
  onExit(): void;
  /**
   * This process received a stop signal. `othersListening`: the application has its own listener, so it decides
   * whether the process ends; otherwise the signal would have ended it. `others`: how many other listeners.
   */
  onSignal(signal: SignalName, othersListening: boolean, others?: number): void;
}

/** @internal */
/** Process-level listeners and the self re-raise: the only code that touches `process.on` for signals. */
export interface ParentSignals {
  /** Installs one listener for `'exit'` and one per stop signal; returns what removes them again. */
  listen(handlers: ParentSignalHandlers): () => void;
  /** Sends `signal` to this process, for its default action once the listeners are gone (exit status 128 + n). */
  reraise(signal: SignalName): void;
}

const REDELIVERY_WAIT_MS = 1000;

/** @internal */
/** Listens on `target` (the real `process` by default). */
export function processParentSignals(target: NodeJS.Process = process): ParentSignals {
  return {
    listen(handlers) {
      const onExit = (): void => handlers.onExit();
      const listeners = PARENT_STOP_SIGNALS.map((signal) => {
        const listener = (): void => {
          const others = target.listenerCount(signal) - 1;
          handlers.onSignal(signal, others > 0, others);
        };
        target.on(signal, listener);
        return [signal, listener] as const;
      });
      target.on('exit', onExit);
      return () => {
        target.removeListener('exit', onExit);
        for (const [signal, listener] of listeners) target.removeListener(signal, listener);
      };
    },
    reraise(signal) {
      target.kill(target.pid, signal);
      // Node delivers a signal that still has listeners on a later turn of the event loop, and its signal watchers
      // do not keep the loop alive: without this, a program with nothing else to do would end with status 0 before
      // those listeners (which end it by the signal) ever ran.
      if (target.listenerCount(signal) > 0) setTimeout(() => undefined, REDELIVERY_WAIT_MS);
    },
  };
}
