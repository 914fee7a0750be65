import { concat, EMPTY, firstValueFrom, mergeMap, Observable, throwError } from 'rxjs';
import { InvalidOptionError } from '../core/errors.js';
import { type ExitStatus, isSuccess } from '../core/exit-status.js';
import type { OutputStream } from '../streams/output-stream.js';
import { EXIT_ERROR_STDERR_LINES, ExitError } from './exit-error.js';
import type { ProcessHandle } from './handle.js';
import type { SpawnOptions } from './options.js';
import { release, spawn } from './spawn.js';

/** Options of {@link linesOf$}, {@link chunksOf$} and {@link linesOf}: everything `spawn` takes, and one more. */
export interface OutputOfOptions extends SpawnOptions {
  /**
   * Error with an {@link ExitError} (code `NON_ZERO_EXIT`) when the child exits with a code other than 0 or is
   * ended by a signal. Default `false`: the output simply completes, whatever the exit status.
   */
  readonly errorOnFailure?: boolean;
}

/** The last stderr lines of a child, for its {@link ExitError}. */
class StderrTail {
  private readonly lines: string[] = [];
  private readonly subscription;

  constructor(stream: OutputStream) {
    this.subscription = stream.lines$.subscribe({
      next: (line) => {
        this.lines.push(line);
        if (this.lines.length > EXIT_ERROR_STDERR_LINES) this.lines.shift();
      },
      error: () => undefined,
    });
  }

  /** The failure to report for `status`, or `undefined` when there is none to report. */
  failure(proc: ProcessHandle, status: ExitStatus, errorOnFailure: boolean): ExitError | undefined {
    return errorOnFailure && !isSuccess(status)
      ? new ExitError(proc.name, status, [...this.lines])
      : undefined;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

function errorOnFailureOption(options: OutputOfOptions): boolean {
  const value = options.errorOnFailure ?? false;
  if (typeof value !== 'boolean') throw new InvalidOptionError('errorOnFailure', value, 'a boolean');
  return value;
}

function outputOf$<T>(
  command: string,
  args: readonly string[],
  options: OutputOfOptions,
  view: (stream: OutputStream) => Observable<T>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const errorOnFailure = errorOnFailureOption(options);
    const proc = spawn(command, args, options);
    // Subscribed in the same tick as the spawn: the pipe has not been read yet, so nothing can be missed.
    const tail = new StderrTail(proc.stderr);
    const subscription = concat(
      view(proc.stdout),
      proc.exit$.pipe(
        mergeMap((status) => {
          const failure = tail.failure(proc, status, errorOnFailure);
          return failure === undefined ? EMPTY : throwError(() => failure);
        }),
      ),
    ).subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      tail.stop();
      release(proc);
    };
  });
}

/**
 * A cold Observable of a command's stdout lines: each subscription spawns the child and emits its lines from the
 * very first byte. It completes once the output has ended and the child has exited; it errors with the
 * {@link SpawnError} when the child cannot start, and with an {@link ExitError} on a failed exit when
 * `errorOnFailure` is set. Unsubscribing early (`take`, `takeUntil`, a `switchMap` moving on) terminates the child
 * and its tree with its `shutdown`, exactly once. stderr is drained; its last lines go into the `ExitError`.
 */
export function linesOf$(
  command: string,
  args: readonly string[] = [],
  options: OutputOfOptions = {},
): Observable<string> {
  return outputOf$(command, args, options, (stream) => stream.lines$);
}

/** {@link linesOf$} for the raw stdout chunks (each at most `stdout.chunkSize` bytes). */
export function chunksOf$(
  command: string,
  args: readonly string[] = [],
  options: OutputOfOptions = {},
): Observable<Buffer> {
  return outputOf$(command, args, options, (stream) => stream.chunks$);
}

/**
 * A command's stdout lines as an async iterable. The child is spawned when iteration starts (the first `next()`),
 * and read with reliable backpressure: a slow loop pauses the child instead of buffering without bound. Leaving
 * the loop early (`break`, `return`, a `throw`) terminates the child and its tree with its `shutdown`, and the
 * loop is left once it is gone. After the last line the iterable waits for the exit; it throws the
 * {@link SpawnError} when the child cannot start and, with `errorOnFailure`, an {@link ExitError} on a failed exit.
 */
export function linesOf(
  command: string,
  args: readonly string[] = [],
  options: OutputOfOptions = {},
): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => iterateLines(command, args, options),
  };
}

async function* iterateLines(
  command: string,
  args: readonly string[],
  options: OutputOfOptions,
): AsyncGenerator<string, undefined, undefined> {
  const errorOnFailure = errorOnFailureOption(options);
  const proc = spawn(command, args, options);
  const tail = new StderrTail(proc.stderr);
  const lines = proc.stdout.lines({ delivery: 'reliable' });
  let exited = false;
  try {
    for await (const line of lines) yield line;
    const status = await firstValueFrom(proc.exit$);
    exited = true;
    const failure = tail.failure(proc, status, errorOnFailure);
    if (failure !== undefined) throw failure;
    return undefined;
  } finally {
    tail.stop();
    await lines.return();
    // Left early: the loop goes on only once the child is gone, so `break` really means "stop it".
    if (!exited && proc.state !== 'failed') await proc.terminate().catch(() => undefined);
  }
}
