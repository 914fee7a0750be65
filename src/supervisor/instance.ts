import {
  BehaviorSubject,
  type Observable,
  type Subscription,
  EMPTY,
  catchError,
  defer,
  map,
  of,
  repeat,
  tap,
  timer,
} from 'rxjs';
import { toError } from '../core/errors.js';
import type { ExitStatus } from '../core/exit-status.js';
import type { ProcessEvent } from '../process/events.js';
import { ENDED_STATUSES, type InstanceFacts } from './conditions.js';
import type { InstanceContext, InstanceEvent } from './instance-context.js';
import type { ResolvedInstance } from './resolve-config.js';
import {
  NO_RESTARTS,
  type RestartDecision,
  type RestartHistory,
  type RunEnd,
  decideRestart,
  describeEnd,
} from './restart-decision.js';
import { snapshotOf } from './instance-snapshot.js';
import { ServiceRun } from './service-run.js';
import type { ServiceState, ServiceStatus, ServiceStopReport, ServiceUsage } from './state-types.js';

const LAST_LINE_LENGTH = 200;
type Readiness = ServiceState['readiness'];
type EventBody = InstanceEvent extends infer E
  ? E extends InstanceEvent
    ? Omit<E, 'service' | 'at'>
    : never
  : never;

/** @internal */
/**
 * One service instance: its runs, restarts and stop. The run loop is `defer(run$)` repeated with a backoff
 * `timer` (or not repeated, by the restart decision); a stop unsubscribes the loop, which cancels a pending restart
 * and the probes, and terminates the process on its own, so the output and the exit are still recorded.
 */
export class ServiceInstance {
  readonly name: string;
  status: ServiceStatus;
  readiness: Readiness = 'none';
  pid: number | undefined;
  startedAt: number | undefined;
  readyAt: number | undefined;
  nextStartAt: number | undefined;
  exitStatus: ExitStatus | undefined;
  reason: string | undefined;
  lastLine: string | undefined;
  usage: ServiceUsage | undefined;
  holdouts: readonly number[] = [];
  waitingFor: readonly string[] = [];
  runs = 0;
  /** Stopped by `stopService()` (not by the supervisor's own stop): the supervisor does not count it as ended. */
  manuallyStopped = false;

  private everStarted = false;
  private everReady = false;
  private history: RestartHistory = NO_RESTARTS;
  /** The current (or last) run. */
  private run: ServiceRun | undefined;
  private loop: Subscription | undefined;
  private stopRequested = false;
  private lastEnd: RunEnd | undefined;
  private readonly facts = new BehaviorSubject<InstanceFacts>(this.currentFacts());

  constructor(
    readonly config: ResolvedInstance,
    private readonly context: InstanceContext,
  ) {
    this.name = config.name;
    this.status = config.autostart ? 'waiting' : 'stopped';
    if (!config.autostart) this.reason = 'not started (autostart: false)';
    this.facts.next(this.currentFacts());
  }

  /**
   * Completes once the current run's output has ended: its last lines come after the exit, within the handle's EOF
   * timeout. At once without a run, or while the leader lives (a termination that failed): never waits forever.
   */
  get outputDrained$(): Observable<void> {
    return this.run?.outputDrained$ ?? EMPTY;
  }

  /** The facts dependents look at; replays the current ones. */
  get facts$(): Observable<InstanceFacts> {
    return this.facts;
  }

  get restarts(): number {
    return this.history.restarts.length;
  }

  /** True while a run is spawned and its leader has not exited. */
  get isRunning(): boolean {
    return this.run?.leaderAlive ?? false;
  }

  /** Back to `waiting` (for its dependencies), from an ended state. */
  wait(waitingFor: readonly string[]): void {
    this.stopRequested = false;
    this.manuallyStopped = false;
    // A new start: dependents wait for this run's start and readiness, not a previous one's.
    this.everStarted = false;
    this.everReady = false;
    this.waitingFor = waitingFor;
    this.setStatus('waiting', undefined);
  }

  /** Its dependencies are met: the run loop starts. */
  begin(): void {
    if (this.loop !== undefined || this.stopRequested) return;
    this.waitingFor = [];
    const loop = defer(() => this.run$())
      .pipe(repeat({ delay: () => this.afterRun$() }))
      .subscribe();
    // A run that ended synchronously (a spawn refused at once) may have finished the loop already.
    if (!loop.closed) this.loop = loop;
  }

  /** A dependency can never meet its condition. */
  skip(reason: string): void {
    this.waitingFor = [];
    this.emit({ type: 'skipped', reason });
    this.setStatus('skipped', reason);
  }

  /** Forget past restarts (a manual restart starts a fresh count). */
  resetRestarts(): void {
    this.history = NO_RESTARTS;
  }

  /**
   * Stops the instance: cancels a pending restart and the probes, then terminates a live run with its `shutdown`
   * (or kills it). Emits one report.
   */
  stop$(mode: 'graceful' | 'kill', reason = 'stopped on request'): Observable<ServiceStopReport> {
    return defer(() => {
      const statusBefore = this.status;
      this.stopRequested = true;
      this.loop?.unsubscribe();
      this.loop = undefined;
      this.nextStartAt = undefined;
      const run = this.run;
      if (run === undefined || (!run.leaderAlive && !run.isBeingKilled)) {
        if (!ENDED_STATUSES.has(statusBefore)) this.setStatus('stopped', reason);
        const report: ServiceStopReport = { service: this.name, outcome: 'notRunning', statusBefore };
        return of(report);
      }
      if (this.status !== 'stopping') {
        this.setStatus('stopping', reason);
        this.emit({ type: 'stopping', holdouts: [] });
      }
      return run.stop$(mode).pipe(
        map((report): ServiceStopReport => ({
          service: this.name,
          outcome: 'terminated',
          report,
          statusBefore,
        })),
        catchError((error: unknown) =>
          of<ServiceStopReport>({
            service: this.name,
            outcome: 'failed',
            error: toError(error),
            statusBefore,
          }),
        ),
        tap((report) => {
          if (this.status !== 'stopping' && this.status !== 'stopped') return; // reported by another stop already
          this.holdouts = [];
          // The event first: the status may end the supervisor, which completes events$.
          this.emit({ type: 'stopped', report });
          this.setStatus(
            report.outcome === 'failed' ? 'failed' : 'stopped',
            report.outcome === 'failed' ? `stop failed: ${report.error?.message}` : reason,
          );
        }),
      );
    });
  }

  /**
   * The supervisor is stopping: no restart, no start from now on; a pending restart or dependency wait ends as
   * `stopped`. A live run keeps running until its level is stopped.
   */
  freeze(reason: string): void {
    this.stopRequested = true;
    this.loop?.unsubscribe();
    this.loop = undefined;
    this.nextStartAt = undefined;
    if (
      this.status === 'waiting' ||
      this.status === 'backoff' ||
      (this.status !== 'stopping' && !this.isRunning && !ENDED_STATUSES.has(this.status))
    )
      this.setStatus('stopped', reason);
  }

  /** SIGKILL to a live run now, cutting its graceful stop short (a second stop request). */
  killNow(): void {
    // While stopping, the leader may be gone and its group not: the kill is for the group.
    if (this.run === undefined || (!this.run.leaderAlive && this.status !== 'stopping')) return;
    this.run.killNow();
  }

  snapshot(): ServiceState {
    return snapshotOf(this);
  }

  /** One run: spawn, observe, probe; completes once the leader exited and the exit was recorded. */
  private run$(): Observable<never> {
    const { config, context } = this;
    this.runs += 1;
    this.readyAt = undefined;
    this.nextStartAt = undefined;
    this.exitStatus = undefined;
    this.usage = undefined;
    this.readiness = config.ready === undefined ? 'none' : 'pending';
    const run = new ServiceRun(config, context, {
      event: (event) => this.onProcessEvent(event),
      line: (stream, line) => this.onLine(stream, line),
      usage: (usage) => {
        this.usage = usage;
        context.changed();
      },
      probeAttempt: (role, probe, progress) =>
        this.emit({
          type: 'probe',
          probe: role,
          kind: probe.kind,
          ok: progress.ok,
          failures: progress.failures,
          ...(progress.error === undefined ? {} : { error: progress.error }),
        }),
      ready: () => this.markReady(),
      probeFailed: (role, cause) => {
        if (role === 'readiness') this.readiness = 'failed';
        this.reason = cause;
        this.changed();
      },
      probeStopFailed: (cause, error) => {
        const reason = `${cause}; stopping it failed: ${error.message}`;
        this.emit({ type: 'failed', reason });
        this.setStatus('failed', reason);
      },
      exited: (status, error) => this.onExit(run, status, error),
    });
    this.run = run;
    this.startedAt = run.startedAt;
    this.setStatus('starting', undefined);
    return run.run$();
  }

  private onProcessEvent(event: ProcessEvent): void {
    this.emit({ type: 'process', event });
    if (event.type === 'spawned') {
      this.pid = event.pid;
      this.everStarted = true;
      this.emit({ type: 'started', pid: event.pid, run: this.runs });
      if (this.config.ready === undefined) {
        this.everReady = true;
        this.readyAt = this.context.scheduler.now();
        this.setStatus('running', undefined);
        return;
      }
      this.changed();
    } else if (event.type === 'timeout') {
      this.holdouts = (event.holdouts ?? []).map((holdout) => holdout.pid);
      this.emit({ type: 'stopping', holdouts: this.holdouts });
      this.changed();
    }
  }

  private onLine(stream: 'stdout' | 'stderr', text: string): void {
    const max = this.context.maxLineLength;
    const truncated = text.length > max;
    const line = truncated ? text.slice(0, max) : text;
    this.lastLine = line.length > LAST_LINE_LENGTH ? line.slice(0, LAST_LINE_LENGTH) : line;
    this.context.line({ service: this.name, stream, line, truncated, at: this.context.scheduler.now() });
    this.context.changed();
  }

  private onExit(run: ServiceRun, status: ExitStatus | undefined, error: Error | undefined): void {
    this.exitStatus = status;
    this.pid = undefined;
    this.usage = undefined;
    this.lastEnd = run.end(status, error, this.stopRequested);
    // `expected` only when rxproc was asked to stop it: a run ended for a failed probe is a failure.
    if (status !== undefined) this.emit({ type: 'exited', status, expected: this.stopRequested });
    // A stop cancelled the loop, so no restart decision will name the end: say it here, unless the stop's own
    // report is about to.
    if (this.loop === undefined && this.stopRequested && this.status !== 'stopping') {
      this.setStatus('stopped', this.lastEnd.cause ?? describeEnd({ status }));
      return;
    }
    this.changed();
  }

  private markReady(): void {
    const now = this.context.scheduler.now();
    this.readiness = 'ready';
    this.readyAt = now;
    this.everReady = true;
    this.emit({ type: 'ready', afterMs: now - (this.startedAt ?? now) });
    this.setStatus('running', undefined);
  }

  /** Called by `repeat` once a run ended: the delay before the next run, or nothing to end the loop. */
  private afterRun$(): Observable<unknown> {
    const end = this.lastEnd!;
    const decision: RestartDecision = decideRestart(
      this.config.restart,
      end,
      this.history,
      this.context.random,
    );
    if (decision.type === 'restart') {
      this.history = decision.history;
      const at = this.context.scheduler.now() + decision.delayMs;
      this.nextStartAt = at;
      this.emit({
        type: 'restartScheduled',
        delayMs: decision.delayMs,
        restart: this.restarts,
        maxRestarts: this.config.restart.maxRestarts,
      });
      this.setStatus('backoff', end.cause ?? describeEnd(end));
      return timer(decision.delayMs, this.context.scheduler);
    }
    this.loop = undefined;
    if (decision.outcome === 'failed') {
      this.emit({ type: 'failed', reason: decision.reason });
      this.setStatus('failed', decision.reason);
      this.context.failed(this.name);
    } else {
      this.setStatus(decision.outcome, decision.reason);
    }
    return EMPTY;
  }

  private setStatus(status: ServiceStatus, reason: string | undefined): void {
    const previous = this.status;
    this.reason = reason;
    if (previous !== status) {
      this.status = status;
      this.emit({ type: 'status', status, previous, ...(reason === undefined ? {} : { reason }) });
    }
    this.changed();
  }

  private changed(): void {
    this.facts.next(this.currentFacts());
    this.context.changed();
  }

  private currentFacts(): InstanceFacts {
    return {
      name: this.name,
      status: this.status,
      everStarted: this.everStarted,
      everReady: this.everReady,
      exitStatus: this.exitStatus,
      reason: this.reason,
    };
  }

  private emit(event: EventBody): void {
    this.context.emit({ ...event, service: this.name, at: this.context.scheduler.now() } as InstanceEvent);
  }
}
