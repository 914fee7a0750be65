import {
  EMPTY,
  type Observable,
  catchError,
  defaultIfEmpty,
  defer,
  first,
  firstValueFrom,
  mergeMap,
  of,
  takeUntil,
} from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import { type SignalName, validateSignal } from '../core/signals.js';
import type { SignalFailureCode } from '../platform/types.js';
import { validateDuration } from '../core/durations.js';
import { InvalidOptionError } from '../core/errors.js';
import { type ProcessUsage, usage$ } from './usage.js';
import type { OutputStream } from '../streams/output-stream.js';
import type { CollectBytesOptions } from '../operators/collect-bytes.js';
import type { CollectLinesOptions } from '../operators/collect-lines.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';
import type { TerminationEvent, TerminationReport } from '../termination/types.js';
import type { BytesOutput, LinesOutput } from './collect-output.js';
import type { ProcessDeps } from './deps.js';
import type { ProcessEvent, ProcessState } from './events.js';
import type { ChildStart } from './start-child.js';
import { StartedChild } from './started-child.js';
import type { ProcessStdin } from './stdin.js';
import type { WaitOptions, WaitOutcome } from './wait.js';
import { waitOnProcess } from './wait-on-process.js';

/** How long `usage()` samples CPU time. */
export const USAGE_SAMPLE_MS = 250;

/** The result of {@link ProcessHandle.sendSignal}: sent, or why not. Never throws for runtime conditions. */
export type SendSignalResult =
  | { readonly sent: true }
  | {
      readonly sent: false;
      /** `notStarted`: no pid yet or never; `exited`: the leader is gone, nothing was sent (its pid may be reused). */
      readonly reason: 'notStarted' | 'exited' | SignalFailureCode;
      readonly error?: Error;
    };

/**
 * A running (or starting, or finished) child process. Returned at once by {@link spawn}; its life is observable
 * through {@link ProcessHandle.events$} and {@link ProcessHandle.exit$}.
 */
export class ProcessHandle {
  /** The name used in events and errors. */
  readonly name: string;
  /** The child's stdin; writes fail with a typed error unless spawned with `stdin: 'pipe'`. */
  readonly stdin: ProcessStdin;
  /** The child's stdout as chunks and lines; empty and complete unless piped. */
  readonly stdout: OutputStream;
  /** The child's stderr as chunks and lines; empty and complete unless piped. */
  readonly stderr: OutputStream;

  readonly #child: StartedChild;

  /**
   * @internal Wraps a start (see `startChild`) in a handle: attaches the child's events, pipes and abort signal.
   * `spawn()` is the public way in.
   */
  static attach(start: ChildStart, deps: ProcessDeps): ProcessHandle {
    return new ProcessHandle(new StartedChild(start, deps));
  }

  private constructor(child: StartedChild) {
    this.#child = child;
    this.name = child.name;
    this.stdin = child.stdin;
    this.stdout = child.outputs[0].stream;
    this.stderr = child.outputs[1].stream;
  }

  /**
   * Every lifecycle event, in order. Hot; late subscribers first receive the first event and a bounded window of
   * recent ones. Completes once the leader has exited and its output is closed (or a failed spawn was reported).
   */
  get events$(): Observable<ProcessEvent> {
    return this.#child.lifecycle.events$;
  }

  /** Emits the exit status once and completes; errors with a {@link SpawnError} if the spawn failed. Replays. */
  get exit$(): Observable<ExitStatus> {
    return this.#child.lifecycle.exit$;
  }

  /** The OS process id, once spawned. */
  get pid(): number | undefined {
    return this.#child.lifecycle.pid;
  }

  /** Where the handle is in its life. */
  get state(): ProcessState {
    return this.#child.lifecycle.state;
  }

  /** The exit status, once the leader has exited. */
  get exitStatus(): ExitStatus | undefined {
    return this.#child.lifecycle.exitStatus;
  }

  /** True while parent-exit cleanup would kill this child's group. */
  get isArmed(): boolean {
    return this.#child.group?.isArmed ?? false;
  }

  /**
   * Waits for the leader to exit. Resolves `{ type: 'exited', status }`; or `{ type: 'timedOut' }` after
   * `timeoutMs` (the child keeps running); or, with `orTerminate`, `{ type: 'terminated', report }` after
   * terminating it on timeout. A piped stdin is ended first unless `closeStdin: false`. The `exited` outcome says
   * `endedBecause` when rxproc was stopping the child (an abort, a parent signal, `terminate()`). With
   * `output: 'lines' | 'bytes'` the outcome also carries the output collected from the moment of the call (the
   * streams' replay included); after the exit, the output gets at most `eofTimeoutMs` to end before it is closed
   * by force (`output.cutOff`). Rejects with the {@link SpawnError} if the spawn
   * failed, an `AbortedError` when `signal` aborts, an `InvalidOptionError` for bad options, or the
   * `TerminationError` of `orTerminate`.
   */
  wait(
    options: WaitOptions & { readonly output: 'lines'; readonly collect?: CollectLinesOptions },
  ): Promise<WaitOutcome<LinesOutput>>;
  wait(
    options: WaitOptions & { readonly output: 'bytes'; readonly collect?: CollectBytesOptions },
  ): Promise<WaitOutcome<BytesOutput>>;
  wait(options?: WaitOptions & { readonly output?: undefined }): Promise<WaitOutcome>;
  async wait(
    options: WaitOptions = {},
  ): Promise<WaitOutcome | WaitOutcome<LinesOutput> | WaitOutcome<BytesOutput>> {
    const child = this.#child;
    return waitOnProcess(
      {
        exit$: child.lifecycle.exit$,
        scheduler: child.options.scheduler,
        streams: { stdout: this.stdout, stderr: this.stderr },
        forceCloseOutput: (reason) => child.lifecycle.forceCloseOutput(reason),
        defaultEofTimeoutMs: child.options.eofTimeoutMs,
        terminate: (shutdown) => child.termination.start(shutdown, 'timedOut').result,
        stdin: child.stdin,
        endedBecause: () => child.lifecycle.endedBecause,
      },
      options,
    );
  }

  /**
   * Stops the child and its whole process tree: each graceful phase of `shutdown` (default: the `shutdown` spawn
   * option) signals the group and waits at most its timeout, then SIGKILL, then every process snapshotted before
   * the first signal is verified gone. Resolves with the report; rejects with a {@link TerminationError} carrying
   * every attempt when even SIGKILL did not end it, or with the {@link SpawnError} if it never started.
   *
   * Calls made while a run is in progress join it (the first caller's `shutdown` applies); after the exit it
   * resolves at once and sends nothing; before the spawn completed it waits for it.
   */
  terminate(shutdown?: GracefulShutdown): Promise<TerminationReport> {
    return this.#child.termination.start(shutdown).result;
  }

  /**
   * The same run as {@link ProcessHandle.terminate}, as a stream of {@link TerminationEvent}s ending with
   * `completed` (or a {@link TerminationError}). Starts the run on subscription, or joins the one in progress;
   * unsubscribing does not stop a run, which always finishes so that no tree is left half-signalled.
   */
  terminate$(shutdown?: GracefulShutdown): Observable<TerminationEvent> {
    return defer(() => this.#child.termination.start(shutdown).events$);
  }

  /**
   * SIGKILLs the group at once, then waits (bounded) and verifies like {@link ProcessHandle.terminate}. During a
   * graceful run it abandons the current phase and jumps to SIGKILL; both callers get the same result.
   */
  kill(): Promise<TerminationReport> {
    return this.#child.termination.kill().result;
  }

  /** `await using proc = spawn(...)`: terminates with the configured shutdown at scope exit. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.state === 'failed') return;
    await this.terminate();
  }

  /**
   * Sends a signal to the child's whole process group.
   * @throws {@link InvalidSignalError} for a name this platform does not know.
   */
  sendSignal(signal: SignalName): SendSignalResult {
    const validated = validateSignal(signal);
    const group = this.#child.group;
    if (this.state === 'exited') return { sent: false, reason: 'exited' };
    if (group === undefined || this.state === 'failed') return { sent: false, reason: 'notStarted' };
    const outcome = group.signal(validated, 'manual');
    return outcome.ok ? { sent: true } : { sent: false, reason: outcome.code, error: outcome.error };
  }

  /**
   * CPU and memory of the leader and of its whole tree (the group plus every live process carrying its marker),
   * measured over the next {@link USAGE_SAMPLE_MS} ms from the shared process table. Resolves `undefined` when the
   * child is not running, or where the platform has no figures (only Linux has them today).
   */
  async usage(): Promise<ProcessUsage | undefined> {
    return firstValueFrom(this.usage$(USAGE_SAMPLE_MS).pipe(defaultIfEmpty(undefined)));
  }

  /**
   * {@link ProcessHandle.usage} every `intervalMs` (default 1000) until the leader exits. Children sampled at the
   * same interval share one process-table scan per interval, however many there are.
   * @throws {@link InvalidOptionError} for an interval that is not a duration of at least 1 ms.
   */
  usage$(intervalMs = 1000): Observable<ProcessUsage> {
    const interval = validateDuration('usage$.intervalMs', intervalMs);
    if (interval < 1) throw new InvalidOptionError('usage$.intervalMs', intervalMs, 'at least 1 ms');
    const { lifecycle, deps } = this.#child;
    return defer(() => {
      // Asked right after spawn(): measure from the spawn on rather than answer nothing.
      if (this.state === 'spawning') {
        return this.events$.pipe(
          first((event) => event.type === 'spawned' || event.type === 'spawnFailed'),
          catchError(() => EMPTY),
          mergeMap((event) => (event.type === 'spawned' ? this.usage$(interval) : EMPTY)),
        );
      }
      const group = this.#child.group;
      const running = this.state === 'running' || this.state === 'terminating';
      if (group?.leader === undefined || !running) return EMPTY;
      const target = { leader: group.leader, pgid: group.pgid, marker: group.marker };
      return usage$(deps.platform.processTable, target, interval).pipe(
        takeUntil(lifecycle.exit$.pipe(catchError(() => of(undefined)))),
      );
    });
  }

  /**
   * Lets the child outlive this process: it leaves parent-exit cleanup, its pipes are closed (a piped stdin ends,
   * the output views end as forced, reason `'detached'`) and Node no longer waits for it, so a program whose code has
   * ended exits at once while the child runs on. A child that still writes to a closed output pipe gets EPIPE (or
   * dies of SIGPIPE): spawn a child meant to outlive the parent with `stdout`/`stderr` `'discard'` or redirected to a
   * file. The handle still reports the exit while this process lives. Idempotent.
   */
  detach(): void {
    this.#child.detach();
  }

  /**
   * Re-arms parent-exit cleanup after {@link ProcessHandle.detach}: the child's group is killed (or handled per
   * `parentSignals`) if this process ends while it runs, as before. It does not reopen the released pipes, nor make
   * Node wait for the child again. Idempotent; also arms a child spawned with `cleanupOnParentExit: false`.
   */
  rearm(): void {
    this.#child.rearm();
  }
}
