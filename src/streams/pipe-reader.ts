import type { Readable } from 'node:stream';
import { OutputChunkTypeError, OutputPrematureCloseError, OutputStreamStateError } from './errors.js';
import type { OutputMode } from './options.js';
import type { QueueTerminal } from './pull-queue.js';

/** @internal */
/** Where a {@link PipeReader} delivers what it reads, and whom it asks before reading on. @internal */
export interface PipeOutlet {
  /** A live chunk: never empty, never larger than `chunkSize`. */
  chunk(chunk: Buffer): void;
  /** The stream is about to end and nothing has seen the end yet: the moment to flush a pending last line. */
  ending(terminal: QueueTerminal): void;
  /** The stream has ended (once); `forcedReason` is set when it was closed by force. */
  ended(terminal: QueueTerminal, forcedReason: string | undefined): void;
  /** Whether some consumer wants the pipe held back right now. */
  holdsBack(): boolean;
}

/** @internal */
/**
 * Reads one pipe and decides when to stop reading it. Once attached the readable is always drained, with or
 * without consumers, except while the outlet holds it back; it is then paused, so the child blocks in `write()`
 * instead of this process buffering without bound. Reads are re-split to `chunkSize`, text is re-encoded as UTF-8,
 * and every way the readable can stop (end, error, a close without either) ends the stream exactly once.
 * @internal
 */
export class PipeReader {
  private readable: Readable | undefined;
  private end: QueueTerminal | undefined;
  private paused = false;
  private released = false;
  private bytes = 0;
  private chunks = 0;

  constructor(
    private readonly name: string,
    private readonly mode: OutputMode,
    private readonly chunkSize: number,
    private readonly outlet: PipeOutlet,
  ) {}

  /** How the stream ended, once it has. */
  get terminal(): QueueTerminal | undefined {
    return this.end;
  }

  get bytesRead(): number {
    return this.bytes;
  }

  get chunksRead(): number {
    return this.chunks;
  }

  /**
   * Starts reading `readable` (a byte stream; text chunks are re-encoded as UTF-8). Call once.
   * @throws {@link OutputStreamStateError} when already attached, closed, or not in `'pipe'` mode.
   */
  attach(readable: Readable): void {
    if (this.mode !== 'pipe') {
      throw new OutputStreamStateError(`${this.name} is in '${this.mode}' mode and has no pipe to attach`);
    }
    if (this.readable !== undefined || this.end !== undefined) {
      throw new OutputStreamStateError(`${this.name} is already attached or closed`);
    }
    this.readable = readable;
    // The error listener stays for good: a late error on a destroyed pipe must never become an uncaught exception.
    readable.on('error', this.onError);
    if (readable.readableEnded) {
      this.close({ kind: 'end' }, undefined);
      return;
    }
    if (readable.destroyed) {
      const error =
        readable.errored ??
        new OutputPrematureCloseError(`${this.name} was destroyed before it was attached`);
      this.close({ kind: 'error', error }, undefined);
      return;
    }
    readable.on('end', this.onEnd);
    readable.on('close', this.onClose);
    readable.on('data', this.onData);
    readable.resume();
  }

  /** `'discard'` and `'inherit'` have no pipe: the stream is over before it starts. */
  closeWithoutPipe(): void {
    this.close({ kind: 'end' }, undefined);
  }

  /**
   * Ends the stream now, as if the pipe had ended, and destroys the readable; the end reports `forcedReason`. For
   * a pipe a grandchild keeps open after the child exited. No-op once ended.
   */
  forceClose(reason: string): void {
    if (this.end !== undefined) return;
    this.close({ kind: 'end' }, reason);
    this.readable?.destroy();
  }

  /**
   * Never pauses again, whatever the consumers ask, and resumes now: a child blocked writing to a full pipe must be
   * able to run its exit path during shutdown.
   */
  releaseBackpressure(): void {
    this.released = true;
    this.updateFlow();
  }

  /** Pauses or resumes the readable to match {@link PipeOutlet.holdsBack}; called whenever that may have changed. */
  updateFlow(): void {
    const readable = this.readable;
    if (readable === undefined || this.end !== undefined) return;
    const hold = !this.released && this.outlet.holdsBack();
    if (hold && !this.paused) {
      this.paused = true;
      readable.pause();
    } else if (!hold && this.paused) {
      this.paused = false;
      readable.resume();
    }
  }

  private readonly onData = (data: unknown): void => {
    if (this.end !== undefined) return;
    let chunk: Buffer;
    if (Buffer.isBuffer(data)) chunk = data;
    else if (typeof data === 'string') chunk = Buffer.from(data, 'utf8');
    else if (data instanceof Uint8Array) chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    else {
      this.fail(
        new OutputChunkTypeError(
          `${this.name} produced a non-byte chunk; object-mode streams are not supported`,
        ),
      );
      return;
    }
    const size = this.chunkSize;
    if (chunk.length <= size) this.publish(chunk);
    // A handler may close the stream between two pieces (forceClose from a subscriber): stop there.
    else
      for (let at = 0; at < chunk.length && this.end === undefined; at += size)
        this.publish(chunk.subarray(at, at + size));
    // After the whole read, not per piece: one pause or resume decision per 'data' event.
    this.updateFlow();
  };

  private publish(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    this.chunks++;
    this.outlet.chunk(chunk);
  }

  private readonly onEnd = (): void => this.close({ kind: 'end' }, undefined);

  private readonly onError = (error: unknown): void => this.fail(error);

  // 'close' after 'end' or 'error' finds the stream ended already; alone, someone destroyed the readable.
  private readonly onClose = (): void => {
    this.fail(new OutputPrematureCloseError(`${this.name} closed before its end`));
  };

  private fail(error: unknown): void {
    if (this.end === undefined) this.close({ kind: 'error', error }, undefined);
  }

  /** The last lines go out first; then the end is recorded before anyone hears of it, so a handler sees it. */
  private close(terminal: QueueTerminal, forcedReason: string | undefined): void {
    if (this.end !== undefined) return;
    this.outlet.ending(terminal);
    this.end = terminal;
    const readable = this.readable;
    if (readable !== undefined) {
      readable.off('data', this.onData);
      readable.off('end', this.onEnd);
      readable.off('close', this.onClose);
    }
    this.outlet.ended(terminal, forcedReason);
  }
}
