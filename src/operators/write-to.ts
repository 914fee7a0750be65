import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { Writable } from 'node:stream';
import { validatePositiveInteger } from '../core/sizes.js';
import { SinkOverflowError, SinkWriteError } from '../streams/errors.js';

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
  return (source) =>
    new Observable<WriteToResult>((subscriber) => {
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
        source.subscribe({
          next: (chunk) => {
            if (guard.failed) return;
            guard.write(chunk);
            chunksWritten++;
            if (sink.writableLength > maxBuffered) guard.fail(new SinkOverflowError(maxBuffered));
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (end) {
              guard.end();
            }
            sourceDone = true;
            settle();
          },
        }),
      );
      return () => guard.release();
    });
}

/**
 * Owns the listeners put on a sink while output is written into it. Its `'error'` listener stays until every write
 * callback has run, and for good once the sink failed, so a late sink error can never crash the process.
 * @internal
 */
export class SinkGuard {
  bytesWritten = 0;
  pendingWrites = 0;
  failed = false;
  /** Called when the last pending write (or the end) has completed without error. */
  onIdle: () => void = () => {};
  private released = false;
  private readonly onError = (error: unknown): void => {
    this.fail(
      new SinkWriteError(`Writing output to the sink failed: ${describe(error)}`, this.bytesWritten, {
        cause: error,
      }),
    );
  };
  private readonly afterWrite = (error?: Error | null): void => {
    this.pendingWrites--;
    if (error) this.onError(error);
    else if (this.pendingWrites === 0) {
      if (this.released) this.detach();
      else this.onIdle();
    }
  };

  constructor(
    private readonly sink: Writable,
    private readonly onFailure: (error: SinkWriteError | SinkOverflowError) => void,
  ) {
    sink.on('error', this.onError);
  }

  /** Writes one chunk; returns the sink's `write()` result (false: wait for `'drain'`). */
  write(chunk: Uint8Array | string): boolean {
    this.pendingWrites++;
    this.bytesWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return this.sink.write(chunk, this.afterWrite);
  }

  /** Ends the sink; idle is reported once it has finished. */
  end(): void {
    this.pendingWrites++;
    this.sink.end(this.afterWrite);
  }

  fail(error: SinkWriteError | SinkOverflowError): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(error);
  }

  /** Stops reporting; the error listener leaves once nothing can fail any more. */
  release(): void {
    this.released = true;
    if (this.pendingWrites === 0) this.detach();
  }

  private detach(): void {
    if (!this.failed) this.sink.off('error', this.onError);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
