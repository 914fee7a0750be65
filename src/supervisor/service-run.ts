import { toError } from '../core/errors.js';
import { AsyncSubject, EMPTY, type Observable, ignoreElements, merge, shareReplay, takeUntil } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { ProcessEvent } from '../process/events.js';
import type { TerminationReport } from '../termination/types.js';
import type { InstanceContext } from './instance-context.js';
import { observeRun } from './observe-run.js';
import type { ProbeProgress } from './probes/probe-progress.js';
import type { ResolvedProbe } from './probes/resolve-probe.js';
import type { ResolvedInstance } from './resolve-config.js';
import type { RunEnd } from './restart-decision.js';
import { runProbes$ } from './run-probes.js';
import type { ServiceProcess } from './service-process.js';
import type { ServiceUsage } from './state-types.js';

/** @internal */
/** What one run reports to its instance. */
export interface RunHooks {
  event(event: ProcessEvent): void;
  line(stream: 'stdout' | 'stderr', text: string): void;
  usage(usage: ServiceUsage): void;
  probeAttempt(role: 'readiness' | 'liveness', probe: ResolvedProbe, progress: ProbeProgress): void;
  ready(): void;
  /** A probe failed for good; the run is being terminated. */
  probeFailed(role: 'readiness' | 'liveness', cause: string): void;
  /** Terminating the run after a probe failure failed: it may still be alive. */
  probeStopFailed(cause: string, error: Error): void;
  /** The leader exited (`status`) or the spawn failed (`error`). */
  exited(status: ExitStatus | undefined, error: Error | undefined): void;
}

/** @internal */
/**
 * One run of a service: the spawn, its observation (events, lines, usage, exit, end of output), its probes, and how
 * it is ended (a probe failure, a stop, a kill). The instance above it keeps the status and the restart loop.
 */
export class ServiceRun {
  readonly process: ServiceProcess;
  readonly startedAt: number;
  /** True until the leader exited (or the spawn failed). */
  leaderAlive = true;
  /** rxproc ended (or is ending) this run: a death by a signal then is not someone else's doing. */
  private terminatedByUs = false;
  private probeFailure: string | undefined;
  private killing: Observable<TerminationReport> | undefined;
  private readonly outputEnded = new AsyncSubject<void>();

  constructor(
    private readonly config: ResolvedInstance,
    private readonly context: InstanceContext,
    private readonly hooks: RunHooks,
  ) {
    this.startedAt = context.scheduler.now();
    this.process = context.spawn({
      name: config.name,
      command: config.command,
      args: config.args,
      shell: config.shell,
      cwd: config.cwd,
      env: config.env,
      preferLocal: config.preferLocal,
      shutdown: config.shutdown,
      // One more than the longest line kept: a line that reaches it was longer, and is marked truncated.
      maxLineLength: context.maxLineLength + 1,
    });
  }

  /** Follows the run and runs its probes; completes once the leader exited and the exit was reported. */
  run$(): Observable<never> {
    // Backpressure from the supervisor's consumer: while held, this run's pipes are not read.
    let release: (() => void) | undefined;
    const hold = this.context.outputHeld$.subscribe((held) => {
      if (held) release ??= this.process.holdOutput();
      else {
        release?.();
        release = undefined;
      }
    });
    hold.add(() => release?.());
    const exited$ = observeRun(this.process, this.context, {
      event: (event) => this.hooks.event(event),
      line: (stream, line) => this.hooks.line(stream, line),
      usage: (usage) => this.hooks.usage(usage),
      exited: (status, error) => {
        this.leaderAlive = false;
        hold.unsubscribe();
        this.hooks.exited(status, error);
      },
      outputEnded: () => this.outputEnded.complete(),
    });
    const probes$ = runProbes$(this.config, this.context, this.process.lines$, {
      attempt: (role, probe, progress) => this.hooks.probeAttempt(role, probe, progress),
      ready: () => this.hooks.ready(),
      failed: (role, cause) => this.failForProbe(role, cause),
    });
    return merge(probes$.pipe(takeUntil(exited$)), exited$).pipe(ignoreElements());
  }

  /**
   * Completes once the run's output has ended: its last lines come after the exit, within the handle's EOF timeout.
   * At once while the leader lives (a termination that failed): never waits forever.
   */
  get outputDrained$(): Observable<void> {
    return this.leaderAlive ? EMPTY : this.outputEnded;
  }

  /** A stop is under way or done for this run (a kill, or a stop's termination). */
  get isBeingKilled(): boolean {
    return this.killing !== undefined;
  }

  /** Ends the run with its `shutdown` (joining a run in progress), or kills it; a kill already sent is joined. */
  stop$(mode: 'graceful' | 'kill'): Observable<TerminationReport> {
    this.terminatedByUs = true;
    return (
      this.killing ?? (mode === 'kill' ? this.process.kill() : this.process.terminate(this.config.shutdown))
    );
  }

  /** SIGKILL now (a second stop request); kept, so a later stop of this run reports it. */
  killNow(): void {
    if (this.killing !== undefined) return;
    this.terminatedByUs = true;
    const killing = this.process.kill().pipe(shareReplay(1));
    this.killing = killing;
    killing.subscribe({ error: () => undefined });
  }

  /** How the run ended, for the restart decision. */
  end(status: ExitStatus | undefined, error: Error | undefined, requested: boolean): RunEnd {
    return {
      status,
      requested,
      probeFailed: this.probeFailure !== undefined,
      ...(this.probeFailure !== undefined
        ? { cause: this.probeFailure }
        : error !== undefined
          ? { cause: `spawn failed: ${error.message}` }
          : {}),
      foreignSignal: status?.signal != null && !this.terminatedByUs,
      startedAt: this.startedAt,
      endedAt: this.context.scheduler.now(),
    };
  }

  /** A probe failed: the run ends (and counts as a failure for the restart policy). */
  private failForProbe(role: 'readiness' | 'liveness', cause: string): void {
    if (this.probeFailure !== undefined || !this.leaderAlive) return;
    this.probeFailure = cause;
    this.terminatedByUs = true;
    this.hooks.probeFailed(role, cause);
    this.process.terminate(this.config.shutdown).subscribe({
      error: (error: unknown) => this.hooks.probeStopFailed(cause, toError(error)),
    });
  }
}
