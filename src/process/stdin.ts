import type { Writable } from 'node:stream';
import { StdinError } from './errors.js';

/**
 * The child's standard input. Every operation returns a Promise that settles once the data is handed to the OS
 * (after `'drain'` when the pipe was full), so awaiting each write honours backpressure. Failures are typed
 * {@link StdinError}s; an EPIPE from a child that closed its stdin never becomes an uncaught exception.
 */
export interface ProcessStdin {
  /** True while writes can still succeed. */
  readonly writable: boolean;
  /** Writes data; resolves when it was accepted and any backpressure has cleared. */
  write(data: string | Uint8Array): Promise<void>;
  /** Closes stdin so the child reads end-of-file. Resolves once flushed; idempotent. */
  end(): Promise<void>;
  /** Closes stdin without flushing, for when the child is gone or being terminated. */
  destroy(): void;
}

/** @internal */
/** The process layer's stdin: the public {@link ProcessStdin}, plus what the lifecycle tells it. */
export class StdinPipe implements ProcessStdin {
  private ended = false;
  private exited = false;
  private failure: StdinError | undefined;

  constructor(
    private readonly processName: string,
    private readonly pipe: Writable | null,
    private readonly onClosedByChild: () => void,
  ) {
    // A listener must exist for the whole life of the pipe: an 'error' without one crashes the parent.
    pipe?.on('error', (error: unknown) => {
      this.failure ??= this.closedError(error);
      this.onClosedByChild();
    });
  }

  /** True while writes can still succeed. */
  get writable(): boolean {
    return (
      this.pipe !== null && !this.ended && !this.exited && this.failure === undefined && !this.pipe.destroyed
    );
  }

  /** Writes data; resolves when it was accepted and any backpressure has cleared. */
  write(data: string | Uint8Array): Promise<void> {
    const pipe = this.pipe;
    const refused = this.refusal();
    if (refused !== undefined || pipe === null) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      let accepted = false;
      let drained = false;
      const settle = (error?: unknown): void => {
        pipe.removeListener('drain', onDrain);
        pipe.removeListener('close', onClose);
        if (error === undefined || error === null) resolve();
        else reject(this.failure ?? this.closedError(error));
      };
      const onDrain = (): void => {
        drained = true;
        if (accepted) settle();
      };
      const onClose = (): void =>
        settle(this.failure ?? new Error('stdin closed before the write completed'));
      pipe.on('close', onClose);
      const needsDrain = !pipe.write(data, (error) => {
        if (error) return settle(error);
        accepted = true;
        if (!needsDrain || drained) settle();
      });
      if (needsDrain) pipe.on('drain', onDrain);
    });
  }

  /** Closes stdin so the child reads end-of-file. Resolves once flushed; idempotent. */
  end(): Promise<void> {
    const pipe = this.pipe;
    if (pipe === null)
      return Promise.reject(new StdinError('STDIN_NOT_PIPED', this.processName, notPipedHint));
    if (this.ended || pipe.destroyed || pipe.writableFinished) {
      this.ended = true;
      return Promise.resolve();
    }
    this.ended = true;
    return new Promise<void>((resolve) => {
      // An EPIPE while flushing means the child stopped reading: its stdin is closed either way.
      pipe.once('close', () => resolve());
      pipe.end(() => resolve());
    });
  }

  /** Closes stdin without flushing, for when the child is gone or being terminated. */
  destroy(): void {
    this.ended = true;
    this.pipe?.destroy();
  }

  private refusal(): StdinError | undefined {
    if (this.pipe === null) return new StdinError('STDIN_NOT_PIPED', this.processName, notPipedHint);
    if (this.failure !== undefined) return this.failure;
    if (this.exited) return new StdinError('PROCESS_NOT_RUNNING', this.processName, 'the process has exited');
    if (this.ended) return new StdinError('STDIN_ENDED', this.processName, 'end() was already called');
    if (this.pipe.destroyed)
      return new StdinError('PROCESS_NOT_RUNNING', this.processName, 'the process has exited');
    return undefined;
  }

  private closedError(cause: unknown): StdinError {
    const errno = (cause as { code?: unknown } | null)?.code;
    const detail = errno === 'EPIPE' ? 'the child closed its stdin (EPIPE)' : 'the pipe failed';
    return new StdinError('STDIN_CLOSED', this.processName, detail, { cause });
  }

  /** Marks the pipe unusable because the process exited; later writes get a typed error. */
  markProcessExited(): void {
    this.exited = true;
  }
}

const notPipedHint = "spawn it with { stdin: 'pipe' }";
