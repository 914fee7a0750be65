import { asyncScheduler } from 'rxjs';
import { validateOptionalDuration } from '../core/durations.js';
import { InvalidOptionError } from '../core/errors.js';
import { type ExitStatus, isSuccess } from '../core/exit-status.js';
import { collectBytes, type CollectBytesOptions } from '../operators/collect-bytes.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';
import { AbortedError } from './errors.js';
import { ExitError, lastLines } from './exit-error.js';
import type { ProcessHandle } from './handle.js';
import type { SpawnOptions } from './options.js';
import { spawn } from './spawn.js';

/** Options of {@link run}: everything `spawn` takes, and how to run and check the child. */
export interface RunOptions extends SpawnOptions {
  /** Reject with an {@link ExitError} when the child fails or times out. Default `true`. */
  readonly reject?: boolean;
  /**
   * Terminate the child with its `shutdown` once this long has passed; the run then fails with an `ExitError` of
   * code `TIMED_OUT` (or resolves with `timedOut: true` under `reject: false`). Default: no bound.
   */
  readonly timeoutMs?: number;
  /** Written to the child's stdin, which is then closed; implies `stdin: 'pipe'`. */
  readonly input?: string | Uint8Array;
  /** Bounds of each stream's collection (see `collectBytes`). Default: the first 1 MiB of each. */
  readonly collect?: CollectBytesOptions;
}

/** What {@link run} resolves with. */
export interface RunResult {
  /** The name used in events and errors. */
  readonly name: string;
  readonly status: ExitStatus;
  /** stdout from the first byte, decoded as UTF-8, without one final newline (`\n` or `\r\n`). */
  readonly stdout: string;
  /** stderr, like `stdout`. */
  readonly stderr: string;
  /** True when `stdout` hit the `collect` bound: bytes after (or before, with `keep: 'last'`) it are missing. */
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  /** True when a descendant kept the output open past `eofTimeoutMs` after the exit and it was closed by force. */
  readonly cutOff: boolean;
  /** True when `timeoutMs` passed and the child was terminated (only seen under `reject: false`). */
  readonly timedOut: boolean;
  /** From the spawn to the end of the output, on the spawn's scheduler. */
  readonly durationMs: number;
}

function validateRunOptions(options: RunOptions): void {
  const { input, stdin, reject } = options;
  validateOptionalDuration('timeoutMs', options.timeoutMs);
  collectBytes(options.collect); // validates the bounds now, before anything is spawned
  if (reject !== undefined && typeof reject !== 'boolean') {
    throw new InvalidOptionError('reject', reject, 'a boolean');
  }
  if (input !== undefined && typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new InvalidOptionError('input', input, 'a string or a Uint8Array');
  }
  if (input !== undefined && stdin !== undefined && stdin !== 'pipe') {
    throw new InvalidOptionError('stdin', stdin, "'pipe' (or nothing) together with input");
  }
}

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Writes `input` and closes stdin. A child that exits without reading it is not an error of the run. */
function feed(proc: ProcessHandle, input: string | Uint8Array): void {
  proc.stdin
    .write(input)
    .then(() => proc.stdin.end())
    .catch(() => undefined);
}

/**
 * Runs a command to its end and checks it: resolves with its exit status and its output as strings (collected
 * from the first byte, bounded by `collect`); rejects with an {@link ExitError} when it exits with a code other
 * than 0, is ended by a signal, or runs past `timeoutMs` (then it is terminated with its `shutdown` first) —
 * unless `reject: false`. Rejects with the {@link SpawnError} when it cannot start (also under `reject: false`),
 * with an {@link AbortedError} once `signal` aborted (after the child was terminated), and with an
 * `InvalidOptionError` for a bad run option, before anything is spawned.
 */
export async function run(
  command: string,
  args: readonly string[] = [],
  options: RunOptions = {},
): Promise<RunResult> {
  validateRunOptions(options);
  const { reject = true, timeoutMs, input, collect, ...spawnOptions } = options;
  const scheduler = spawnOptions.scheduler ?? asyncScheduler;
  const startedAt = scheduler.now();
  const proc = spawn(command, args, input === undefined ? spawnOptions : { ...spawnOptions, stdin: 'pipe' });
  if (input !== undefined) feed(proc, input);
  // An invalid shutdown fails the spawn with INVALID_OPTION; the default stands in so that wait() reports that.
  const shutdown =
    spawnOptions.shutdown instanceof GracefulShutdown ? spawnOptions.shutdown : GracefulShutdown.default();
  const outcome = await proc.wait({
    output: 'bytes',
    collect,
    timeoutMs,
    orTerminate: timeoutMs === undefined ? undefined : shutdown,
  });
  const { status, output } = outcome.type === 'timedOut' ? unreachable() : outcome;
  if (spawnOptions.signal?.aborted === true) throw new AbortedError('run()', spawnOptions.signal.reason);
  const result: RunResult = {
    name: proc.name,
    status,
    stdout: decode(output.stdout.bytes),
    stderr: decode(output.stderr.bytes),
    stdoutTruncated: output.stdout.truncated,
    stderrTruncated: output.stderr.truncated,
    cutOff: output.cutOff,
    timedOut: outcome.type === 'terminated',
    durationMs: scheduler.now() - startedAt,
  };
  if (!reject) return result;
  if (result.timedOut) throw new ExitError(proc.name, status, lastLines(result.stderr), { timeoutMs });
  if (!isSuccess(status)) throw new ExitError(proc.name, status, lastLines(result.stderr));
  return result;
}

/** With `orTerminate`, a wait never resolves `timedOut`; without a timeout it cannot time out. */
function unreachable(): never {
  throw new Error('run(): wait() timed out although it was to terminate');
}
