import { Observable } from 'rxjs';
import { lastLines } from '../../process/exit-error.js';
import { run } from '../../process/run.js';
import { GracefulShutdown } from '../../termination/graceful-shutdown.js';
import { ProbeAttemptError, reasonOf, timedOutReason } from './attempt.js';

/** @internal */
/** The command of an exec probe, and where it runs (the service's directory and environment by default). */
export interface ExecAttemptSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly shell: boolean | string;
  readonly cwd: string | undefined;
  /** Added to this process's environment, like a service's. */
  readonly env: Readonly<Record<string, string>> | undefined;
}

/**
 * A probe command is a short check: SIGTERM lets a script clean up, and its whole group is SIGKILLed soon after,
 * so that an attempt that timed out never leaves a process behind for long.
 */
const PROBE_SHUTDOWN = GracefulShutdown.sigterm(1000);

/** @internal */
/**
 * Ready when the command exits with code 0. It runs through rxproc's own `run()`: in its own process group, with
 * its tree terminated when `attemptTimeoutMs` passes or when the attempt is unsubscribed (an abort), so no probe
 * process outlives its attempt. A failure's reason carries the exit and the last line of stderr.
 */
export function execAttempt(spec: ExecAttemptSpec, attemptTimeoutMs: number): Observable<void> {
  return new Observable<void>((subscriber) => {
    const controller = new AbortController();
    run(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      shell: spec.shell,
      signal: controller.signal,
      timeoutMs: attemptTimeoutMs,
      shutdown: PROBE_SHUTDOWN,
      reject: false,
      stdout: 'discard',
      collect: { maxBytes: 4096, keep: 'last' },
    }).then(
      (result) => {
        if (result.timedOut) {
          subscriber.error(new ProbeAttemptError(`${spec.command} ${timedOutReason(attemptTimeoutMs)}`));
        } else if (result.status.code === 0) {
          subscriber.complete();
        } else {
          const how =
            result.status.signal !== null
              ? `was ended by ${result.status.signal}`
              : `exited with code ${String(result.status.code)}`;
          const last = lastLines(result.stderr, 1)[0];
          const detail = last === undefined || last === '' ? '' : `: ${last}`;
          subscriber.error(new ProbeAttemptError(`${spec.command} ${how}${detail}`));
        }
      },
      // A spawn failure (not found, bad cwd) says why itself; after an unsubscription this is the AbortedError of
      // our own abort, which the closed subscriber drops.
      (error: unknown) => subscriber.error(new ProbeAttemptError(reasonOf(error))),
    );
    return () => controller.abort();
  });
}
