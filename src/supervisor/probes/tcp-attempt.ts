import { connect } from 'node:net';
import { Observable, type SchedulerLike, asyncScheduler, throwError, timeout } from 'rxjs';
import { ProbeAttemptError, timedOutReason } from './attempt.js';

/** How long a probe's closed connection may wait for the server's side of the close. */
const CLOSE_GRACE_MS = 1000;

/** @internal */
/** Where a TCP probe connects. */
export interface TcpAttemptSpec {
  readonly host: string;
  readonly port: number;
}

/** @internal */
/**
 * Ready when a TCP connection to `host:port` is accepted; the connection is closed at once. Fails with the
 * socket's error code (`ECONNREFUSED`, …) or on `attemptTimeoutMs`; unsubscribing destroys the socket.
 */
export function tcpAttempt(
  spec: TcpAttemptSpec,
  attemptTimeoutMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<void> {
  const where = `${spec.host}:${spec.port}`;
  const connect$ = new Observable<void>((subscriber) => {
    const socket = connect({ host: spec.host, port: spec.port });
    // Stays attached after destroy(): a late 'error' must never become an uncaught exception.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      subscriber.error(new ProbeAttemptError(`cannot connect to ${where}: ${error.code ?? error.message}`));
    });
    socket.once('connect', () => subscriber.complete());
    return () => {
      // Read and close politely: destroying a socket with unread data makes the kernel send a reset, and a
      // server that greets its clients (and has no 'error' handler) can die of it.
      socket.resume();
      socket.end();
      socket.setTimeout(CLOSE_GRACE_MS, () => socket.destroy());
    };
  });
  // On a scheduler like every timer of rxproc; the probe schedule bounds the attempt too.
  return connect$.pipe(
    timeout({
      first: attemptTimeoutMs,
      scheduler,
      with: () =>
        throwError(() => new ProbeAttemptError(`connecting to ${where} ${timedOutReason(attemptTimeoutMs)}`)),
    }),
  );
}
