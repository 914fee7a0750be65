import type { ChildProcess } from 'node:child_process';
import { defer, map, type Observable, type SchedulerLike } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import { type SignalName, validateSignal } from '../core/signals.js';
import type { ResourceUsage, SignalFailureCode } from '../platform/types.js';
import type { OutputStream } from '../streams/output-stream.js';
import { createOutputStream } from '../streams/output-control.js';
import type { CollectBytesOptions } from '../operators/collect-bytes.js';
import type { CollectLinesOptions } from '../operators/collect-lines.js';
import { type RunOutcome, TerminationController, type TerminationRun } from '../termination/controller.js';
import { TerminationError } from '../termination/error.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';
import type { TerminationEvent, TerminationReport } from '../termination/types.js';
import { ChildGroup, type GroupSignal } from './child-group.js';
import type { BytesOutput, LinesOutput } from './collect-output.js';
import type { ProcessDeps } from './deps.js';
import type { ProcessEvent, ProcessState } from './events.js';
import { createGroupPort } from './group-port.js';
import { type ChildOutput, ChildLifecycle } from './lifecycle.js';
import type { ResolvedSpawnOptions } from './options.js';
import type { ChildStart } from './start-child.js';
import { ProcessStdin } from './stdin.js';
import { toProcessEvent } from './termination-events.js';
import type { WaitOptions, WaitOutcome } from './wait.js';
import { waitOnProcess } from './wait-on-process.js';

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

  readonly #options: ResolvedSpawnOptions;
  readonly #deps: ProcessDeps;
  readonly #lifecycle: ChildLifecycle;
  readonly #termination: TerminationController;
  readonly #outputs: readonly [ChildOutput, ChildOutput];
  #group: ChildGroup | undefined;
  #detached = false;

  /**
   * @internal Wraps a start (see `startChild`) in a handle: attaches the child's events, pipes and abort signal.
   * `spawn()` is the public way in.
   */
  static attach(start: ChildStart, deps: ProcessDeps): ProcessHandle {
    return new ProcessHandle(start, deps);
  }

  private constructor(start: ChildStart, deps: ProcessDeps) {
    const { name, options } = start;
    const { scheduler } = options;
    this.name = name;
    this.#options = options;
    this.#deps = deps;
    const stdout = createOutputStream(options.stdout.options, { name: 'stdout', scheduler });
    const stderr = createOutputStream(options.stderr.options, { name: 'stderr', scheduler });
    this.#outputs = [stdout, stderr];
    this.stdout = stdout.stream;
    this.stderr = stderr.stream;
    this.#lifecycle = new ChildLifecycle(options, this.#outputs);
    this.#termination = new TerminationController(
      defer(() => this.#lifecycle.started$.pipe(map(() => this.#port()))),
      scheduler,
    );
    this.#termination.events$.subscribe((event) => this.#onTerminationEvent(event));
    this.#termination.settled$.subscribe((outcome) => this.#onTerminationSettled(outcome));

    if (start.kind === 'refused') {
      this.stdin = new ProcessStdin(name, null, () => undefined);
      this.#lifecycle.failed(start.error);
      return;
    }
    const { child } = start;
    this.stdin = new ProcessStdin(name, child.stdin ?? null, () =>
      this.#lifecycle.emit({ type: 'stdinClosed', at: this.#lifecycle.now() }),
    );
    // Listeners are attached in the same tick as the spawn: an early exit or error can never be missed.
    child.once('spawn', () => this.#onSpawn(child));
    child.on('error', (error) => {
      // After the spawn, ChildProcess only emits 'error' for kill() failures, and rxproc never calls kill(); the
      // listener stays so that such an error can never crash the parent.
      if (this.#lifecycle.state === 'spawning') this.#lifecycle.failed(start.diagnose(error));
    });
    child.once('exit', (code, signal) => this.#onExit({ code, signal }));
    // Node leaves the stdio fields undefined, not null, when creating the pipes failed (EMFILE).
    if (child.stdout) this.#lifecycle.readOutput(stdout, child.stdout);
    if (child.stderr) this.#lifecycle.readOutput(stderr, child.stderr);
    this.#watchAbortSignal(options.signal);
  }

  /**
   * Every lifecycle event, in order. Hot; late subscribers first receive the first event and a bounded window of
   * recent ones. Completes once the leader has exited and its output is closed (or a failed spawn was reported).
   */
  get events$(): Observable<ProcessEvent> {
    return this.#lifecycle.events$;
  }

  /** Emits the exit status once and completes; errors with a {@link SpawnError} if the spawn failed. Replays. */
  get exit$(): Observable<ExitStatus> {
    return this.#lifecycle.exit$;
  }

  /** The OS process id, once spawned. */
  get pid(): number | undefined {
    return this.#lifecycle.pid;
  }

  /** Where the handle is in its life. */
  get state(): ProcessState {
    return this.#lifecycle.state;
  }

  /** The exit status, once the leader has exited. */
  get exitStatus(): ExitStatus | undefined {
    return this.#lifecycle.exitStatus;
  }

  /** True while parent-exit cleanup would kill this child's group. */
  get isArmed(): boolean {
    return this.#group?.isArmed ?? false;
  }

  /**
   * Waits for the leader to exit. Resolves `{ type: 'exited', status }`; or `{ type: 'timedOut' }` after
   * `timeoutMs` (the child keeps running); or, with `orTerminate`, `{ type: 'terminated', report }` after
   * terminating it on timeout. With `output: 'lines' | 'bytes'` the outcome also carries the output collected from
   * the moment of the call (the streams' replay included); after the exit, the output gets at most `eofTimeoutMs`
   * to end before it is closed by force (`output.cutOff`). Rejects with the {@link SpawnError} if the spawn
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
    return waitOnProcess(
      {
        exit$: this.#lifecycle.exit$,
        scheduler: this.#scheduler,
        streams: { stdout: this.stdout, stderr: this.stderr },
        forceCloseOutput: (reason) => this.#lifecycle.forceCloseOutput(reason),
        defaultEofTimeoutMs: this.#options.eofTimeoutMs,
        terminate: (shutdown) => this.terminate(shutdown),
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
    return this.#startTermination(shutdown).result;
  }

  /**
   * The same run as {@link ProcessHandle.terminate}, as a stream of {@link TerminationEvent}s ending with
   * `completed` (or a {@link TerminationError}). Starts the run on subscription, or joins the one in progress;
   * unsubscribing does not stop a run, which always finishes so that no tree is left half-signalled.
   */
  terminate$(shutdown?: GracefulShutdown): Observable<TerminationEvent> {
    return defer(() => this.#startTermination(shutdown).events$);
  }

  /**
   * SIGKILLs the group at once, then waits (bounded) and verifies like {@link ProcessHandle.terminate}. During a
   * graceful run it abandons the current phase and jumps to SIGKILL; both callers get the same result.
   */
  kill(): Promise<TerminationReport> {
    const { killTimeoutMs, verifyTimeoutMs, survivors } = this.#options.shutdown;
    this.#beforeTermination();
    return this.#termination.kill(GracefulShutdown.killOnly({ killTimeoutMs, verifyTimeoutMs, survivors }))
      .result;
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
    const group = this.#group;
    if (this.state === 'exited') return { sent: false, reason: 'exited' };
    if (group === undefined || this.state === 'failed') return { sent: false, reason: 'notStarted' };
    const outcome = group.signal(validated, 'manual');
    return outcome.ok ? { sent: true } : { sent: false, reason: outcome.code, error: outcome.error };
  }

  /** CPU and memory of the leader right now (via ps-list), or `undefined` when it is not running. */
  async usage(): Promise<ResourceUsage | undefined> {
    const pid = this.pid;
    if (pid === undefined || (this.state !== 'running' && this.state !== 'terminating')) return undefined;
    const [usage] = await this.#deps.platform.resourceUsage([pid]);
    return usage;
  }

  /** Opts out of parent-exit cleanup: this child may outlive the parent. */
  detach(): void {
    this.#detached = true;
    this.#group?.disarm();
  }

  get #scheduler(): SchedulerLike {
    return this.#options.scheduler;
  }

  #startTermination(shutdown: GracefulShutdown | undefined): TerminationRun {
    const chosen =
      shutdown === undefined ? this.#options.shutdown : GracefulShutdown.check('shutdown', shutdown);
    this.#beforeTermination();
    return this.#termination.start(chosen);
  }

  /** A child being stopped must not stay blocked on input, nor on writing to a full output pipe. */
  #beforeTermination(): void {
    if (this.#termination.inProgress) return;
    this.#lifecycle.setTerminating(true);
    this.#group?.terminationStarted();
    if (this.stdin.writable) this.stdin.end().catch(() => undefined);
    for (const output of this.#outputs) output.control.releaseBackpressure();
  }

  #port() {
    const group = this.#group;
    // started$ only emits after #onSpawn created the group.
    if (group === undefined) throw new Error('rxproc internal error: termination port before the spawn');
    const lifecycle = this.#lifecycle;
    const leader = { name: this.name, exit$: lifecycle.exit$, exitStatus: () => lifecycle.exitStatus };
    return createGroupPort(group, leader, this.#deps.platform);
  }

  #onSpawn(child: ChildProcess): void {
    const pid = child.pid;
    if (pid === undefined) return; // cannot happen after 'spawn'; never act on an undefined pid
    const group = new ChildGroup(pid, this.#deps);
    this.#group = group;
    group.signals$.subscribe((sent) => this.#onGroupSignal(sent));
    if (this.#termination.inProgress) group.terminationStarted();
    if (this.#options.cleanupOnParentExit && !this.#detached) group.arm();
    this.#lifecycle.spawned(pid, this.name);
  }

  #onExit(status: ExitStatus): void {
    if (this.state === 'failed') return;
    this.stdin.markProcessExited();
    this.#lifecycle.exited(status);
    this.#group?.leaderExited();
  }

  #onGroupSignal({ signal, cause, pgid, outcome }: GroupSignal): void {
    const at = this.#lifecycle.now();
    this.#lifecycle.emit(
      outcome.ok
        ? { type: 'signalSent', signal, pgid, cause, at }
        : { type: 'signalFailed', signal, pgid, cause, code: outcome.code, error: outcome.error, at },
    );
  }

  #onTerminationEvent(event: TerminationEvent): void {
    this.#group?.terminationEvent(event);
    const mapped = toProcessEvent(event, this.pid ?? 0);
    if (mapped !== undefined) this.#lifecycle.emit(mapped);
  }

  #onTerminationSettled(outcome: RunOutcome): void {
    this.#group?.terminationSettled(outcome);
    if (outcome.kind === 'failed' && outcome.error instanceof TerminationError) {
      this.#lifecycle.emit({ type: 'terminationFailed', error: outcome.error, at: this.#lifecycle.now() });
    }
    this.#lifecycle.setTerminating(false);
  }

  #watchAbortSignal(signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    const onAbort = (): void => {
      this.terminate().catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const remove = (): void => signal.removeEventListener('abort', onAbort);
    this.#lifecycle.exit$.subscribe({ complete: remove, error: remove });
  }
}
