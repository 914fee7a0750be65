import type { OperatorFunction } from 'rxjs';
import type { Writable } from 'node:stream';
import { validatePositiveInteger } from '../core/sizes.js';
import { SinkOverflowError } from '../core/sink-errors.js';
import { SinkGuard } from '../core/sink-guard.js';
import { operate, operatorObserver } from './operate.js';

/** Options of {@link writeTo}. */
export interface WriteToOptions {
  /**
   * The most bytes the sink may hold unwritten before the operator gives up with {@link SinkOverflowError}. A hot
   * Observable cannot be paused, so this is what bounds memory. Default 1 MiB. (`OutputStream.writeTo` pauses the
   * child instead and ignores it.)
   */
  readonly maxBufferedBytes?: number;
  /** End the sink when the source completes. Default `false`: sinks such as `process.stdout` must stay open. */
  readonly end?: boolean;
}

/** What was handed to the sink. */
export interface WriteToResult {
  readonly bytesWritten: number;
  readonly chunksWritten: number;
}

/** @internal */
/** Defaults of {@link writeTo}. */
export const WRITE_TO_DEFAULTS = { maxBufferedBytes: 1024 * 1024, end: false } as const;

/**
 * Writes every chunk (strings as UTF-8) into `sink`; when the source completes and the sink has flushed (or ended,
 * with `end: true`), emits one {@link WriteToResult} and completes. A sink failure errors with
 * {@link SinkWriteError} holding the sink's error as `cause`; it is never swallowed and never becomes an unhandled
 * `'error'` event.
 * @throws {@link InvalidOptionError} for an invalid option, when called.
 */
export function writeTo(
  sink: Writable,
  options?: WriteToOptions,
): OperatorFunction<Uint8Array | string, WriteToResult> {
  const maxBuffered = validatePositiveInteger(
    'writeTo.maxBufferedBytes',
    options?.maxBufferedBytes ?? WRITE_TO_DEFAULTS.maxBufferedBytes,
  );
  const end = options?.end ?? WRITE_TO_DEFAULTS.end;
  return operate((source, subscriber) => {
    const guard = new SinkGuard(sink, (error) => subscriber.error(error));
    let chunksWritten = 0;
    let sourceDone = false;
    const settle = (): void => {
      if (sourceDone && guard.pendingWrites === 0 && !guard.failed) {
        subscriber.next({ bytesWritten: guard.bytesWritten, chunksWritten });
        subscriber.complete();
      }
    };
    guard.onIdle = settle;
    subscriber.add(
      source.subscribe(
        operatorObserver(
          subscriber,
          (chunk) => {
            if (guard.failed) return;
            guard.write(chunk);
            chunksWritten++;
            if (sink.writableLength > maxBuffered) guard.fail(new SinkOverflowError(maxBuffered));
          },
          () => {
            if (end) {
              guard.end();
            }
            sourceDone = true;
            settle();
          },
        ),
      ),
    );
    return () => guard.release();
  });
}
