import { RxprocError } from './errors.js';

/** Writing output into a sink failed; `cause` holds the sink's own error. */
export class SinkWriteError extends RxprocError {
  /** Always `SINK_WRITE`. */
  readonly code = 'SINK_WRITE' as const;
  /** Bytes the sink had accepted before it failed (written or buffered by it). */
  readonly bytesWritten: number;

  constructor(message: string, bytesWritten: number, options?: ErrorOptions) {
    super(message, options);
    this.bytesWritten = bytesWritten;
  }
}

/** The sink of `writeTo` buffered more than allowed because it reads slower than the source writes. */
export class SinkOverflowError extends RxprocError {
  /** Always `SINK_OVERFLOW`. */
  readonly code = 'SINK_OVERFLOW' as const;
  /** The bound that was exceeded, in bytes. */
  readonly maxBufferedBytes: number;

  constructor(maxBufferedBytes: number) {
    super(`The sink buffered more than ${maxBufferedBytes} bytes; it cannot keep up with the output`);
    this.maxBufferedBytes = maxBufferedBytes;
  }
}
