import type { Readable } from 'node:stream';
import type { SchedulerLike } from 'rxjs';
import type { OutputStreamOptions } from './options.js';
import { OutputStream } from './output-stream.js';

/** @internal */
/** Construction details that are not stream options. @internal */
export interface OutputStreamInit {
  /** Used in option errors and messages, such as `stdout`. Default `output`. */
  readonly name?: string;
  /** Default scheduler of `waitForLine` timeouts. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** @internal */
/**
 * What only the owner of an {@link OutputStream} (the process handle) may do to it. Users get the stream alone:
 * none of this belongs in their hands, nor in the public type.
 * @internal
 */
export interface OutputControl {
  /**
   * Starts reading the child's pipe (a byte stream; text chunks are re-encoded as UTF-8). Call once.
   * @throws {@link OutputStreamStateError} when already attached, closed, or not in `'pipe'` mode.
   */
  attach(readable: Readable): void;
  /**
   * Ends every view now, as if the output had ended, and destroys the readable; `closed` reports
   * `{ forced: true, reason }`. For a pipe a grandchild keeps open after the child exited. No-op once closed.
   */
  forceClose(reason: string): void;
  /**
   * Stops honouring backpressure, for good: the pipe flows again and reliable pull consumers become lossy (their
   * losses are counted). For shutdown, so a child blocked writing to a full pipe can run its exit path.
   */
  releaseBackpressure(): void;
}

/** @internal */
/**
 * Creates an output stream together with its control. With `mode: 'discard'` or `'inherit'` the stream is empty
 * and already ended, and cannot be attached.
 * @throws {@link InvalidOptionError} when an option is invalid, before anything is spawned.
 * @internal
 */
export function createOutputStream(
  options: OutputStreamOptions | undefined,
  init: OutputStreamInit,
): { stream: OutputStream; control: OutputControl } {
  return OutputStream.create(options, init);
}
