import { asyncScheduler } from 'rxjs';
import type { OperatorFunction, SchedulerLike } from 'rxjs';
import { InvalidOptionError } from '../core/errors.js';
import { validateDuration } from '../core/durations.js';
import { asLines } from './as-lines.js';
import { operate, operatorObserver } from './operate.js';

/**
 * What a line must satisfy: a substring it contains, a regular expression it matches (the `g`/`y` flags are
 * ignored, so `lastIndex` never carries state between lines), or a predicate. A throwing predicate fails the wait.
 */
export type LineMatcher = string | RegExp | ((line: string) => boolean);

/** Options of {@link waitForLine}. */
export interface WaitForLineOptions {
  /** Upper bound of the wait, in milliseconds (0 to 2^31 - 1). Required: output that never matches nor ends. */
  readonly timeoutMs: number;
  /** Aborting fails the wait with `signal.reason` (also when already aborted). */
  readonly signal?: AbortSignal;
  /** Schedules the timeout. Default `asyncScheduler`; pass a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
}

/** How a {@link waitForLine} ended, unless it failed (read error, abort, throwing predicate). */
export type WaitForLineResult =
  | { readonly type: 'matched'; readonly line: string }
  | { readonly type: 'closed' }
  | { readonly type: 'timedOut'; readonly timeoutMs: number };

/**
 * Waits for the first line that matches: emits one {@link WaitForLineResult} and completes. `closed` means the
 * source completed without a match (the unterminated last line is tried first); a source error is passed on.
 * Subscribing is what starts the wait, so on an `OutputStream` replayed lines are tried too.
 * @throws {@link InvalidOptionError} for an invalid matcher or option, when called.
 */
export function waitForLine(
  matcher: LineMatcher,
  options: WaitForLineOptions,
): OperatorFunction<Uint8Array | string, WaitForLineResult> {
  const test = toPredicate(matcher);
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('waitForLine', options, 'an options object with timeoutMs');
  }
  const timeoutMs = validateDuration('waitForLine.timeoutMs', options.timeoutMs);
  const { signal } = options;
  const scheduler = options.scheduler ?? asyncScheduler;
  return operate((source, subscriber) => {
    if (signal?.aborted === true) {
      subscriber.error(signal.reason);
      return undefined;
    }
    const finish = (result: WaitForLineResult): void => {
      subscriber.next(result);
      subscriber.complete();
    };
    const onAbort = (): void => subscriber.error(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    subscriber.add(() => signal?.removeEventListener('abort', onAbort));
    // Subscribe first: replayed lines arrive synchronously and may already settle the wait.
    subscriber.add(
      asLines(source).subscribe(
        operatorObserver(
          subscriber,
          (line) => {
            let matched: boolean;
            try {
              matched = test(line);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            if (matched) finish({ type: 'matched', line });
          },
          () => finish({ type: 'closed' }),
        ),
      ),
    );
    if (!subscriber.closed) {
      subscriber.add(scheduler.schedule(() => finish({ type: 'timedOut', timeoutMs }), timeoutMs));
    }
    return undefined;
  });
}

function toPredicate(matcher: LineMatcher): (line: string) => boolean {
  if (typeof matcher === 'string') return (line) => line.includes(matcher);
  if (matcher instanceof RegExp) {
    const re =
      matcher.global || matcher.sticky
        ? new RegExp(matcher.source, matcher.flags.replace(/[gy]/g, ''))
        : matcher;
    return (line) => re.test(line);
  }
  if (typeof matcher === 'function') return matcher;
  throw new InvalidOptionError('waitForLine.matcher', matcher, 'a string, a RegExp or a predicate function');
}
