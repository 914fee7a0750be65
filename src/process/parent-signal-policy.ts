import { InvalidOptionError } from '../core/errors.js';

/**
 * What a child gets when this process receives SIGINT, SIGTERM or SIGHUP (Ctrl-C, a service manager, a closed
 * terminal). The child runs in its own session, so a terminal's signal never reaches it unless rxproc passes it on.
 *
 * - `'forward'`: the child's group receives the same signal once, as a terminal would have sent it; nothing else.
 *   A termination that starts while that signal is fresh (`terminate()` from the application's handler, an
 *   aborted `signal`) counts it as its first phase instead of sending it again.
 * - `'terminate'`: the child's graceful `shutdown` runs, in parallel with every other such child, and this
 *   process stays alive until they are done. A second stop signal meanwhile kills every armed child at once.
 * - `'kill'`: the child's group is SIGKILLed at once (rxproc before 0.next).
 * - `'none'`: the child gets nothing; its owner (a supervisor, or the application) handles the signal. If nobody
 *   else listens for the signal, the child is still killed when this process ends by it.
 * - `'auto'` (the default): `'forward'` when the application listens for that signal itself (it decides what
 *   happens next), `'terminate'` when it does not (the signal would have ended this process).
 *
 * When the application has no listener for the signal, this process then ends the way the signal would have ended
 * it: once the `'terminate'` children are done (or at once without any), the children still armed are killed and
 * the signal is raised again with its default action, so the shell sees 128 + n (130 for SIGINT).
 *
 * Only armed children take part: see `cleanupOnParentExit` and `detach()`.
 */
export type ParentSignalPolicy = 'auto' | 'forward' | 'terminate' | 'kill' | 'none';

const policies: readonly string[] = [
  'auto',
  'forward',
  'terminate',
  'kill',
  'none',
] satisfies ParentSignalPolicy[];

/** @internal */
/** Validates the `parentSignals` spawn option; default `'auto'`. */
export function parentSignalPolicyOption(value: unknown): ParentSignalPolicy {
  if (value === undefined) return 'auto';
  if (typeof value === 'string' && policies.includes(value)) return value as ParentSignalPolicy;
  throw new InvalidOptionError('parentSignals', value, "'auto', 'forward', 'terminate', 'kill' or 'none'");
}
