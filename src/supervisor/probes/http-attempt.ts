import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Observable, type SchedulerLike, asyncScheduler, throwError, timeout } from 'rxjs';
import { ProbeAttemptError, timedOutReason } from './attempt.js';

/** @internal */
/** What an HTTP probe asks and accepts. */
export interface HttpAttemptSpec {
  readonly url: URL;
  readonly statuses: ReadonlySet<number>;
  readonly body: RegExp | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/** @internal */
/** The most of a body a probe reads: a health page is small, and a runaway one must not fill memory. */
export const MAX_PROBE_BODY_BYTES = 64 * 1024;

/** @internal */
/** Statuses as short text for a reason: consecutive runs become ranges (`200–399`, `200, 204`). */
export function describeStatuses(statuses: ReadonlySet<number>): string {
  const sorted = [...statuses].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/** @internal */
/**
 * Ready when a GET of `url` answers with an accepted status and, if `body` is given, a body (its first
 * {@link MAX_PROBE_BODY_BYTES}) that matches. A fresh connection per attempt (no keep-alive pool that would hold
 * sockets between attempts). Unsubscribing, and `attemptTimeoutMs`, abort the request.
 */
export function httpAttempt(
  spec: HttpAttemptSpec,
  attemptTimeoutMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<void> {
  const get$ = new Observable<void>((subscriber) => {
    const fail = (reason: string): void => subscriber.error(new ProbeAttemptError(reason));
    const controller = new AbortController();
    const send = spec.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(spec.url, {
      method: 'GET',
      headers: spec.headers,
      agent: false,
      signal: controller.signal,
    });
    // An abort also arrives here as an AbortError: after unsubscription the subscriber ignores it, and the
    // listener keeps it from being an unhandled 'error' event.
    request.on('error', (error: NodeJS.ErrnoException) =>
      fail(`GET ${spec.url.href}: ${error.code ?? error.message}`),
    );
    request.on('response', (response) => {
      response.on('error', (error: Error) => fail(`reading the body of ${spec.url.href}: ${error.message}`));
      const status = response.statusCode ?? 0;
      if (!spec.statuses.has(status)) {
        fail(`GET ${spec.url.href} answered ${status}, expected ${describeStatuses(spec.statuses)}`);
      } else if (spec.body === undefined) {
        subscriber.complete();
      } else {
        checkBody(response, spec.body, (ok, text) => {
          if (ok) subscriber.complete();
          else fail(`GET ${spec.url.href}: the body ${preview(text)} does not match ${String(spec.body)}`);
        });
      }
    });
    request.end();
    return () => controller.abort();
  });
  // On a scheduler like every timer of rxproc; the probe schedule bounds the attempt too.
  return get$.pipe(
    timeout({
      first: attemptTimeoutMs,
      scheduler,
      with: () =>
        throwError(() => new ProbeAttemptError(`GET ${spec.url.href} ${timedOutReason(attemptTimeoutMs)}`)),
    }),
  );
}

/** Reads at most {@link MAX_PROBE_BODY_BYTES}, then tests the text; stops reading as soon as it has enough. */
function checkBody(response: IncomingMessage, body: RegExp, done: (ok: boolean, text: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    const text = Buffer.concat(chunks).subarray(0, MAX_PROBE_BODY_BYTES).toString('utf8');
    done(body.test(text), text);
  };
  response.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_PROBE_BODY_BYTES) {
      finish();
      response.destroy();
    }
  });
  response.on('end', finish);
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine);
}
