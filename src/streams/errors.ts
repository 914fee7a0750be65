import { RxprocError } from '../core/errors.js';

/** An {@link OutputStream} method was called in a state that does not allow it (attaching twice, for example). */
export class OutputStreamStateError extends RxprocError {
  /** Always `ERR_RXPROC_OUTPUT_STATE`. */
  readonly code = 'ERR_RXPROC_OUTPUT_STATE' as const;
}

/** The attached readable closed without an end-of-stream and without an error (someone destroyed it). */
export class OutputPrematureCloseError extends RxprocError {
  /** Always `ERR_RXPROC_OUTPUT_PREMATURE_CLOSE`. */
  readonly code = 'ERR_RXPROC_OUTPUT_PREMATURE_CLOSE' as const;
}

/** The attached readable produced something other than bytes or text (an object-mode stream). */
export class OutputChunkTypeError extends RxprocError {
  /** Always `ERR_RXPROC_OUTPUT_CHUNK_TYPE`. */
  readonly code = 'ERR_RXPROC_OUTPUT_CHUNK_TYPE' as const;
}

/** Writing output into a sink failed; `cause` holds the sink's own error. */
export class SinkWriteError extends RxprocError {
  /** Always `ERR_RXPROC_SINK_WRITE`. */
  readonly code = 'ERR_RXPROC_SINK_WRITE' as const;
  /** Bytes the sink had accepted before it failed (written or buffered by it). */
  readonly bytesWritten: number;

  constructor(message: string, bytesWritten: number, options?: ErrorOptions) {
    super(message, options);
    this.bytesWritten = bytesWritten;
  }
}

/** The sink of `writeTo` buffered more than allowed because it reads slower than the source writes. */
export class SinkOverflowError extends RxprocError {
  /** Always `ERR_RXPROC_SINK_OVERFLOW`. */
  readonly code = 'ERR_RXPROC_SINK_OVERFLOW' as const;
  /** The bound that was exceeded, in bytes. */
  readonly maxBufferedBytes: number;

  constructor(maxBufferedBytes: number) {
    super(`The sink buffered more than ${maxBufferedBytes} bytes; it cannot keep up with the output`);
    this.maxBufferedBytes = maxBufferedBytes;
  }
}
