import { Observable } from 'rxjs';
import { defaultProcessDeps } from './deps.js';
import type { ProcessEvent } from './events.js';
import { ProcessHandle } from './handle.js';
import type { SpawnOptions } from './options.js';
import { startChild } from './start-child.js';

/**
 * Starts `command` with `args` in a new process group and returns its handle at once. Never throws: a command
 * that cannot start (not found, not executable, bad cwd, bad arguments or options) surfaces as a `spawnFailed`
 * event, an error on `exit$` and a rejected `wait()`, each carrying a typed `SpawnError`.
 */
export function spawn(
  command: string,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): ProcessHandle {
  const deps = defaultProcessDeps();
  return ProcessHandle.attach(startChild(command, args, options, deps), deps);
}

/**
 * A cold Observable of one child's events: each subscription spawns a child; unsubscribing (or the Observable
 * ending) terminates it with the configured `shutdown`, exactly once, so that nothing outlives the subscription
 * — not even a background job the leader left behind. It errors with the `SpawnError` if the child never
 * started; termination failures after unsubscription cannot be delivered and leave the child armed for
 * parent-exit cleanup.
 */
export function spawn$(
  command: string,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): Observable<ProcessEvent> {
  return new Observable<ProcessEvent>((subscriber) => {
    const proc = spawn(command, args, options);
    const subscription = proc.events$.subscribe({
      next: (event) => {
        if (event.type === 'spawnFailed') subscriber.error(event.error);
        else subscriber.next(event);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      subscription.unsubscribe();
      release(proc);
    };
  });
}

/** @internal */
/**
 * Ends what a consumer that left early started: the child's whole tree goes with the configured `shutdown`. After
 * a normal exit this sends nothing (unless a background job of the child still runs, which it then ends too).
 */
export function release(proc: ProcessHandle): void {
  if (proc.state !== 'failed') proc.terminate().catch(() => undefined);
}
