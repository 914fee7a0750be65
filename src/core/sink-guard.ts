import type { Writable } from 'node:stream';
import { type SinkOverflowError, SinkWriteError } from './sink-errors.js';

/** @internal */
/**
 * Owns the listeners put on a sink while output is written into it. Its `'error'` listener stays until every write
 * callback has run, and for good once the sink failed, so a late sink error can never crash the process.
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
