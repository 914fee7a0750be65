import type { Readable } from 'node:stream';
import { AsyncSubject, type Observable, type SchedulerLike, type Subscription, timer } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { OutputClosed, OutputStream } from '../streams/output-stream.js';
import type { OutputControl } from '../streams/output-control.js';
import type { SpawnError } from './errors.js';
import { EventLog } from './event-log.js';
import type { ProcessEvent, ProcessState } from './events.js';
import type { StopReason } from '../termination/types.js';

/** @internal */
/** One output pipe of the child: the public stream and the process layer's control of it. */
export interface ChildOutput {
  readonly stream: OutputStream;
  readonly control: OutputControl;
}

/** @internal */
/** Settings of the lifecycle, from the resolved spawn options. */
export interface LifecycleOptions {
  readonly scheduler: SchedulerLike;
  readonly eventReplay: number;
  /** How long output may stay open after the exit before it is closed by force; `null`: no bound. */
  readonly eofTimeoutMs: number | null;
}

/** @internal */
/**
 * The child's life as one state machine: spawning → running (⇄ terminating) → exited, or failed. It records every
 * event in the bounded log, publishes the pid and the exit status, tracks the open output pipes (closing them by
 * force after the EOF timeout) and completes the log once the leader has exited, its output is closed and no
 * termination run is deciding.
 */
export class ChildLifecycle {
  private stateValue: ProcessState = 'spawning';
  private pidValue: number | undefined;
  private exitStatusValue: ExitStatus | undefined;
  private openOutputs = 0;
  private terminating = false;
  private stopReason: StopReason | undefined;
  private eofTimer: Subscription | undefined;
  private readonly log: EventLog<ProcessEvent>;
  private readonly exitSubject = new AsyncSubject<ExitStatus>();
  private readonly startedSubject = new AsyncSubject<number>();

  /** Emits the exit status once and completes; errors with the SpawnError. Replays. */
  readonly exit$: Observable<ExitStatus> = this.exitSubject.asObservable();
  /** Emits the pid once spawned and completes; errors with the SpawnError. Replays. */
  readonly started$: Observable<number> = this.startedSubject.asObservable();

  constructor(
    private readonly options: LifecycleOptions,
    private readonly outputs: readonly ChildOutput[],
  ) {
    this.log = new EventLog<ProcessEvent>(options.eventReplay);
    // Failures are reported through events$, wait() and terminate(); these subjects must not count as unhandled.
    this.exitSubject.subscribe({ error: () => undefined });
    this.startedSubject.subscribe({ error: () => undefined });
  }

  get events$(): Observable<ProcessEvent> {
    return this.log.events$;
  }

  get state(): ProcessState {
    return this.stateValue;
  }

  get pid(): number | undefined {
    return this.pidValue;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.exitStatusValue;
  }

  /**
   * Why rxproc was stopping the child when the leader exited (the first termination run's reason), or
   * `undefined` when it ended on its own or before any run began.
   */
  get endedBecause(): StopReason | undefined {
    return this.exitStatusValue === undefined ? undefined : this.stopReason;
  }

  /** A termination run is starting for `reason`; the first one before the exit is the one the exit reports. */
  stopRequested(reason: StopReason): void {
    if (this.exitStatusValue === undefined && this.stopReason === undefined) this.stopReason = reason;
  }

  /** The scheduler's clock, for event timestamps. */
  now(): number {
    return this.options.scheduler.now();
  }

  emit(event: ProcessEvent): void {
    this.log.emit(event);
  }

  /** The OS confirmed the start. */
  spawned(pid: number, name: string): void {
    this.pidValue = pid;
    if (this.stateValue === 'spawning') this.stateValue = this.terminating ? 'terminating' : 'running';
    this.emit({ type: 'spawned', pid, pgid: pid, name, at: this.now() });
    this.startedSubject.next(pid);
    this.startedSubject.complete();
  }

  /** The child never started: nothing will ever be written, so the output views end too. */
  failed(error: SpawnError): void {
    this.stateValue = 'failed';
    this.forceCloseOutput('spawnFailed');
    this.emit({ type: 'spawnFailed', error, at: this.now() });
    this.exitSubject.error(error);
    this.startedSubject.error(error);
    this.log.complete();
  }

  /** The leader exited; output gets at most the EOF timeout to end. */
  exited(status: ExitStatus): void {
    if (this.stateValue === 'failed') return;
    this.stateValue = 'exited';
    this.exitStatusValue = status;
    const because = this.stopReason;
    this.emit({
      type: 'exited',
      code: status.code,
      signal: status.signal,
      ...(because === undefined ? {} : { endedBecause: because }),
      at: this.now(),
    });
    this.exitSubject.next(status);
    this.exitSubject.complete();
    const limit = this.options.eofTimeoutMs;
    if (limit !== null && this.openOutputs > 0) {
      this.eofTimer = timer(limit, this.options.scheduler).subscribe(() =>
        this.forceCloseOutput('eofTimeout'),
      );
    }
    this.completeIfSettled();
  }

  /** Starts reading a pipe; its end is reported as `outputClosed`. */
  readOutput(output: ChildOutput, pipe: Readable): void {
    this.openOutputs += 1;
    output.control.attach(pipe);
    output.stream.closed.then(
      (closed: OutputClosed) => {
        this.openOutputs -= 1;
        const stream = output.stream.name as 'stdout' | 'stderr';
        this.emit({ type: 'outputClosed', stream, closed, at: this.now() });
        this.completeIfSettled();
      },
      () => undefined,
    );
  }

  /** A termination run began or ended: while one decides, the log stays open for its events. */
  setTerminating(terminating: boolean): void {
    this.terminating = terminating;
    if (terminating && this.stateValue === 'running') this.stateValue = 'terminating';
    if (!terminating) {
      if (this.stateValue === 'terminating') this.stateValue = 'running';
      this.completeIfSettled();
    }
  }

  /** Ends every output view now; what a grandchild writes to the pipe later is not read. */
  forceCloseOutput(reason: string): void {
    for (const output of this.outputs) output.control.forceClose(reason);
  }

  private completeIfSettled(): void {
    if (this.stateValue !== 'exited' || this.openOutputs > 0 || this.terminating) return;
    this.eofTimer?.unsubscribe();
    this.log.complete();
  }
}
