import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import {
  AsyncSubject,
  defer,
  map,
  type Observable,
  type SchedulerLike,
  type Subscription,
  timer,
} from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import { type SignalName, validateSignal } from '../core/signals.js';
import type { Platform, ProcessIdentity, ResourceUsage, SignalFailureCode } from '../platform/types.js';
import { SpawnError } from './errors.js';
import { EventLog } from './event-log.js';
import type { ProcessEvent, ProcessState, SignalCause } from './events.js';
import { autoName } from './naming.js';
import { type ArmedChild, parentExitCleanup } from './parent-exit.js';
import { resolveSpawnOptions, type ResolvedSpawnOptions, type SpawnOptions, stdioFor } from './options.js';
import { precheckSpawn, toSpawnError } from './spawn-failure.js';
import { ProcessStdin } from './stdin.js';
import type { OutputStream } from '../streams/output-stream.js';
import { createOutputStream, type OutputControl } from '../streams/output-control.js';
import { type WaitOptions, type WaitOutcome } from './wait.js';
import { waitOnProcess } from './wait-on-process.js';
import type { BytesOutput, LinesOutput } from './collect-output.js';
import type { CollectBytesOptions } from '../operators/collect-bytes.js';
import type { CollectLinesOptions } from '../operators/collect-lines.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';
import { TerminationError } from '../termination/error.js';
import type { TerminationEvent, TerminationReport } from '../termination/types.js';
import type { TerminationPort } from '../termination/port.js';
import { createHandlePort } from './handle-port.js';
import { TerminationController } from '../termination/controller.js';
import { toProcessEvent } from './termination-events.js';

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
export class ProcessHandle implements ArmedChild {
  /** The name used in events and errors. */
  readonly name: string;
  /** The child's stdin; writes fail with a typed error unless spawned with `stdin: 'pipe'`. */
  readonly stdin: ProcessStdin;
  /** The child's stdout as chunks and lines; empty and complete unless piped. */
  readonly stdout: OutputStream;
  /** The child's stderr as chunks and lines; empty and complete unless piped. */
  readonly stderr: OutputStream;

  private readonly options: ResolvedSpawnOptions;
  private readonly outputControl: { readonly stdout: OutputControl; readonly stderr: OutputControl };
  private readonly log: EventLog<ProcessEvent>;
  private readonly exitSubject = new AsyncSubject<ExitStatus>();
  private readonly scheduler: SchedulerLike;
  private currentState: ProcessState = 'spawning';
  private currentPid: number | undefined;
  private exitStatusValue: ExitStatus | undefined;
  private openOutputs = 0;
  private eofTimer: Subscription | undefined;
  private armed = false;
  /**
   * Set once the group was seen empty after the leader's exit. From then on its number may be reused by a
   * stranger's group, so it is never signalled or probed again.
   */
  private groupGone = false;
  /** Escapees seen by any termination snapshot, by identity; kept for parent-exit cleanup. */
  private readonly escapees = new Map<string, ProcessIdentity>();
  /** Emits the pid once spawned (then completes), or errors with the SpawnError. */
  private readonly started = new AsyncSubject<number>();
  private readonly termination: TerminationController;

  constructor(
    command: string,
    args: readonly string[],
    options: SpawnOptions,
    private readonly platform: Platform,
  ) {
    let resolved: ResolvedSpawnOptions | undefined;
    let optionError: unknown;
    try {
      resolved = resolveSpawnOptions(options);
    } catch (error) {
      optionError = error;
    }
    this.options = resolved ?? resolveSpawnOptions({});
    this.scheduler = this.options.scheduler;
    this.log = new EventLog<ProcessEvent>(this.options.eventReplay);
    const stdout = createOutputStream(this.options.stdout.options, {
      name: 'stdout',
      scheduler: this.scheduler,
    });
    const stderr = createOutputStream(this.options.stderr.options, {
      name: 'stderr',
      scheduler: this.scheduler,
    });
    this.stdout = stdout.stream;
    this.stderr = stderr.stream;
    this.outputControl = { stdout: stdout.control, stderr: stderr.control };
    this.termination = new TerminationController({
      scheduler: this.scheduler,
      port$: defer(() => this.started.pipe(map((pid) => this.port(pid)))),
      onEvent: (event) => this.onTerminationEvent(event),
      onSettled: (outcome) => this.onTerminationSettled(outcome),
    });
    const safeCommand = typeof command === 'string' ? command : '';
    const safeArgs = Array.isArray(args) ? args.map(String) : [];
    this.name =
      this.options.name ??
      autoName(safeCommand, safeArgs, options.env, this.options.cwd, this.options.nameIncludes);
    const attempt = {
      processName: this.name,
      command: safeCommand,
      args: Array.isArray(args) ? args : [args],
      cwd: this.options.cwd,
      env: this.options.env,
    };
    // Failures are reported through events$, wait() and terminate(); these subjects must not count as unhandled.
    this.exitSubject.subscribe({ error: () => undefined });
    this.started.subscribe({ error: () => undefined });

    const abortSignal = this.options.signal;
    const refusal =
      optionError !== undefined
        ? new SpawnError('INVALID_OPTION', this.name, (optionError as Error).message, { cause: optionError })
        : abortSignal?.aborted === true
          ? new SpawnError('ABORTED', this.name, 'its AbortSignal was already aborted', {
              cause: abortSignal.reason,
            })
          : precheckSpawn(attempt);
    if (refusal !== undefined) {
      this.stdin = new ProcessStdin(this.name, null, () => undefined);
      this.fail(refusal);
      return;
    }

    let child: ChildProcess;
    try {
      child = platform.spawnChild({
        command: safeCommand,
        args: safeArgs,
        cwd: this.options.cwd,
        env: this.options.env,
        stdin: this.options.stdin,
        stdout: stdioFor(this.options.stdout),
        stderr: stdioFor(this.options.stderr),
      });
    } catch (error) {
      this.stdin = new ProcessStdin(this.name, null, () => undefined);
      this.fail(toSpawnError(error, attempt));
      return;
    }
    this.stdin = new ProcessStdin(this.name, child.stdin ?? null, () =>
      this.emit({ type: 'stdinClosed', at: this.now() }),
    );
    // Listeners are attached in the same tick as the spawn: an early exit or error can never be missed.
    child.once('spawn', () => this.onSpawn(child));
    child.on('error', (error) => this.onChildError(error, attempt));
    child.once('exit', (code, signal) => this.onExit({ code, signal }));
    this.attachOutput(this.stdout, this.outputControl.stdout, child.stdout);
    this.attachOutput(this.stderr, this.outputControl.stderr, child.stderr);
    this.watchAbortSignal(abortSignal);
  }

  /**
   * Every lifecycle event, in order. Hot; late subscribers first receive the first event and a bounded window of
   * recent ones. Completes once the leader has exited and its output is closed (or a failed spawn was reported).
   */
  get events$(): Observable<ProcessEvent> {
    return this.log.events$;
  }

  /** Emits the exit status once and completes; errors with a {@link SpawnError} if the spawn failed. Replays. */
  get exit$(): Observable<ExitStatus> {
    return this.exitSubject.asObservable();
  }

  /** The OS process id, once spawned. */
  get pid(): number | undefined {
    return this.currentPid;
  }

  /** Where the handle is in its life. */
  get state(): ProcessState {
    return this.currentState;
  }

  /** The exit status, once the leader has exited. */
  get exitStatus(): ExitStatus | undefined {
    return this.exitStatusValue;
  }

  /** True while parent-exit cleanup would kill this child's group. */
  get isArmed(): boolean {
    return this.armed;
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
        exit$: this.exitSubject,
        scheduler: this.scheduler,
        streams: { stdout: this.stdout, stderr: this.stderr },
        forceCloseOutput: (reason) => this.forceCloseOutput(reason),
        defaultEofTimeoutMs: this.options.eofTimeoutMs,
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
    return this.startTermination(shutdown).result;
  }

  /**
   * The same run as {@link terminate}, as a stream of {@link TerminationEvent}s ending with `completed` (or a
   * {@link TerminationError}). Starts the run on subscription, or joins the one in progress; unsubscribing does
   * not stop a run, which always finishes so that no tree is left half-signalled.
   */
  terminate$(shutdown?: GracefulShutdown): Observable<TerminationEvent> {
    return defer(() => this.startTermination(shutdown).events$);
  }

  /**
   * SIGKILLs the group at once, then waits (bounded) and verifies like {@link terminate}. During a graceful run it
   * abandons the current phase and jumps to SIGKILL; both callers get the same result.
   */
  kill(): Promise<TerminationReport> {
    this.beforeTermination();
    return this.termination.kill(GracefulShutdown.killOnly(this.killOptions())).result;
  }

  /** `await using proc = spawn(...)`: terminates with the configured shutdown at scope exit. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.currentState === 'failed') return;
    await this.terminate();
  }

  /**
   * Sends a signal to the child's whole process group.
   * @throws {@link InvalidSignalError} for a name this platform does not know.
   */
  sendSignal(signal: SignalName): SendSignalResult {
    const validated = validateSignal(signal);
    return this.signalGroup(validated, 'manual');
  }

  /**
   * CPU and memory of the leader right now (via ps-list), or `undefined` when it is not running.
   */
  async usage(): Promise<ResourceUsage | undefined> {
    const pid = this.currentPid;
    if (pid === undefined || (this.currentState !== 'running' && this.currentState !== 'terminating')) {
      return undefined;
    }
    const [usage] = await this.platform.resourceUsage([pid]);
    return usage;
  }

  /** Opts out of parent-exit cleanup: this child may outlive the parent. */
  detach(): void {
    this.disarm();
  }

  private startTermination(shutdown: GracefulShutdown | undefined) {
    const chosen =
      shutdown === undefined ? this.options.shutdown : GracefulShutdown.check('shutdown', shutdown);
    this.beforeTermination();
    return this.termination.start(chosen);
  }

  private killOptions() {
    const { killTimeoutMs, verifyTimeoutMs, survivors } = this.options.shutdown;
    return { killTimeoutMs, verifyTimeoutMs, survivors };
  }

  /** A child being stopped must not stay blocked on input, nor on writing to a full output pipe. */
  private beforeTermination(): void {
    if (this.termination.inProgress) return;
    if (this.currentState === 'running') this.currentState = 'terminating';
    if (this.stdin.writable) this.stdin.end().catch(() => undefined);
    this.outputControl.stdout.releaseBackpressure();
    this.outputControl.stderr.releaseBackpressure();
  }

  private port(pid: number): TerminationPort {
    return createHandlePort({
      name: this.name,
      pid,
      platform: this.platform,
      groupGone: () => this.groupGone,
      exitStatus: () => this.exitStatusValue,
      exit$: this.exitSubject,
    });
  }

  private onTerminationEvent(event: TerminationEvent): void {
    if (event.type === 'snapshot') {
      // Kept for parent-exit cleanup: group signals never reach these.
      for (const member of event.members) {
        if (member.inGroup === false) this.escapees.set(`${member.pid}:${member.startTime}`, member);
      }
    }
    const mapped = toProcessEvent(event, this.currentPid ?? 0);
    if (mapped !== undefined) this.emit(mapped);
  }

  private onTerminationSettled(outcome: { report: TerminationReport } | { error: unknown }): void {
    if ('report' in outcome) {
      // A successful run saw the leader exit and its group empty.
      this.groupGone = true;
      if (outcome.report.stillAlive.length === 0) this.disarm();
    } else if (outcome.error instanceof TerminationError) {
      this.emit({ type: 'terminationFailed', error: outcome.error, at: this.now() });
    }
    if (this.currentState === 'terminating') this.currentState = 'running';
    this.completeIfSettled();
  }

  private watchAbortSignal(signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    const onAbort = (): void => {
      this.terminate().catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.exitSubject.subscribe({
      complete: () => signal.removeEventListener('abort', onAbort),
      error: () => signal.removeEventListener('abort', onAbort),
    });
  }

  /** Not for users: called by parent-exit cleanup for a SIGINT/SIGTERM/SIGHUP the application handles itself. */
  forwardSignal(signal: SignalName): void {
    this.signalGroup(signal, 'parentSignal');
  }

  /** Not for users: called by parent-exit cleanup when the parent is about to die. */
  killNowSync(): void {
    if (this.currentPid === undefined) return;
    this.platform.killTreeSync(this.groupGone ? null : this.currentPid, [...this.escapees.values()]);
  }

  private signalGroup(signal: SignalName, cause: SignalCause): SendSignalResult {
    const pgid = this.currentPid;
    if (this.currentState === 'exited') return { sent: false, reason: 'exited' };
    if (pgid === undefined || this.currentState === 'spawning' || this.currentState === 'failed') {
      return { sent: false, reason: 'notStarted' };
    }
    const outcome = this.platform.signalGroup(pgid, signal);
    if (outcome.ok) {
      this.emit({ type: 'signalSent', signal, pgid, cause, at: this.now() });
      return { sent: true };
    }
    this.emit({
      type: 'signalFailed',
      signal,
      pgid,
      cause,
      code: outcome.code,
      error: outcome.error,
      at: this.now(),
    });
    return { sent: false, reason: outcome.code, error: outcome.error };
  }

  private onSpawn(child: ChildProcess): void {
    const pid = child.pid;
    if (pid === undefined) return; // cannot happen after 'spawn'; never act on an undefined pid
    this.currentPid = pid;
    if (this.currentState === 'spawning') this.currentState = 'running';
    if (this.options.cleanupOnParentExit) this.arm();
    this.emit({ type: 'spawned', pid, pgid: pid, name: this.name, at: this.now() });
    this.started.next(pid);
    this.started.complete();
  }

  private onChildError(error: Error, attempt: Parameters<typeof toSpawnError>[1]): void {
    if (this.currentState === 'spawning') {
      this.fail(toSpawnError(error, attempt));
    }
    // After the spawn, ChildProcess only emits 'error' for kill() failures, and rxproc never calls kill(); the
    // listener stays so that such an error can never crash the parent.
  }

  private onExit(status: ExitStatus): void {
    if (this.currentState === 'failed') return;
    this.currentState = 'exited';
    this.exitStatusValue = status;
    this.stdin.markProcessExited();
    this.emit({ type: 'exited', code: status.code, signal: status.signal, at: this.now() });
    this.exitSubject.next(status);
    this.exitSubject.complete();
    this.releaseIfGroupEmpty();
    this.startEofTimer();
    this.completeIfSettled();
  }

  private fail(error: SpawnError): void {
    this.currentState = 'failed';
    // Nothing will ever be written: end the views so that their consumers complete.
    this.forceCloseOutput('spawnFailed');
    this.emit({ type: 'spawnFailed', error, at: this.now() });
    this.exitSubject.error(error);
    this.started.error(error);
    this.log.complete();
  }

  /** The stream drains the pipe from now on, so a chatty child never blocks on a full pipe nobody reads. */
  private attachOutput(
    stream: OutputStream,
    control: OutputControl,
    pipe: Readable | null | undefined,
  ): void {
    // Node leaves the stdio fields undefined, not null, when creating the pipes failed (EMFILE).
    if (pipe === null || pipe === undefined) return;
    this.openOutputs += 1;
    control.attach(pipe);
    stream.closed.then(
      (closed) => {
        this.openOutputs -= 1;
        this.emit({
          type: 'outputClosed',
          stream: stream.name as 'stdout' | 'stderr',
          closed,
          at: this.now(),
        });
        this.completeIfSettled();
      },
      () => undefined,
    );
  }

  private startEofTimer(): void {
    const limit = this.options.eofTimeoutMs;
    if (limit === null || this.openOutputs === 0) return;
    this.eofTimer = timer(limit, this.scheduler).subscribe(() => this.forceCloseOutput('eofTimeout'));
  }

  /** Ends both output streams now; what a grandchild writes to the pipe later is not read. */
  private forceCloseOutput(reason: string): void {
    this.outputControl.stdout.forceClose(reason);
    this.outputControl.stderr.forceClose(reason);
  }

  private completeIfSettled(): void {
    if (this.currentState !== 'exited' || this.openOutputs > 0 || this.termination.inProgress) return;
    this.eofTimer?.unsubscribe();
    this.log.complete();
  }

  /**
   * Nothing is left to protect once the leader exited, its group is empty and every recorded escapee is gone. A
   * termination run in progress decides for itself when it settles.
   */
  private releaseIfGroupEmpty(): void {
    const pgid = this.currentPid;
    if (pgid === undefined || this.termination.inProgress) return;
    this.platform.isGroupAlive(pgid).then(
      async (alive) => {
        if (alive) return;
        this.groupGone = true;
        const escapeesAlive = await Promise.all(
          [...this.escapees.values()].map((identity) => this.platform.isAlive(identity)),
        );
        if (!escapeesAlive.includes(true) && !this.termination.inProgress) this.disarm();
      },
      () => undefined, // unknown: stay armed, the safe side
    );
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    parentExitCleanup.arm(this);
  }

  private disarm(): void {
    if (!this.armed) return;
    this.armed = false;
    parentExitCleanup.disarm(this);
  }

  private emit(event: ProcessEvent): void {
    this.log.emit(event);
  }

  private now(): number {
    return this.scheduler.now();
  }
}
