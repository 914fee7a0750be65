import { RxprocError } from '../core/errors.js';

/** An {@link OutputStream} method was called in a state that does not allow it (attaching twice, for example). */
export class OutputStreamStateError extends RxprocError {
  /** Always `OUTPUT_STATE`. */
  readonly code = 'OUTPUT_STATE' as const;
}

/** The attached readable closed without an end-of-stream and without an error (someone destroyed it). */
export class OutputPrematureCloseError extends RxprocError {
  /** Always `OUTPUT_PREMATURE_CLOSE`. */
  readonly code = 'OUTPUT_PREMATURE_CLOSE' as const;
}

/** The attached readable produced something other than bytes or text (an object-mode stream). */
export class OutputChunkTypeError extends RxprocError {
  /** Always `OUTPUT_CHUNK_TYPE`. */
  readonly code = 'OUTPUT_CHUNK_TYPE' as const;
}
