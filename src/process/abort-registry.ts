/** The callbacks waiting on one signal, and the single `abort` listener that calls them. */
interface Waiting {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const bySignal = new WeakMap<AbortSignal, Waiting>();

/** @internal */
/**
 * Calls `callback` once when `signal` aborts. However many children share one `AbortSignal`, it gets a single
 * `abort` listener (eleven would print `MaxListenersExceededWarning`); the listener goes when the last callback is
 * removed. The map is weak, so a forgotten signal is collected with its callbacks. Returns the removal, which is
 * idempotent.
 */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  let waiting = bySignal.get(signal);
  if (waiting === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      bySignal.delete(signal);
      for (const each of [...callbacks]) each();
      callbacks.clear();
    };
    waiting = { callbacks, listener };
    bySignal.set(signal, waiting);
    signal.addEventListener('abort', listener, { once: true });
  }
  // Each registration is its own entry, even when the same function is registered twice.
  const entry = (): void => callback();
  const { callbacks, listener } = waiting;
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size !== 0) return;
    signal.removeEventListener('abort', listener);
    if (bySignal.get(signal)?.callbacks === callbacks) bySignal.delete(signal);
  };
}
