import {
  type Observable,
  type SchedulerLike,
  type Subscription,
  BehaviorSubject,
  ReplaySubject,
  Subject,
  asyncScheduler,
  auditTime,
  concatMap,
  ignoreElements,
  merge,
  concat,
  defer,
  distinctUntilChanged,
  firstValueFrom,
  forkJoin,
  map,
  of,
} from 'rxjs';
import type { SupervisorConfig, SupervisorOptions } from './config-types.js';
import { ENDED_STATUSES } from './conditions.js';
import { dependencyVerdicts$ } from './dependency-wait.js';
import { SupervisorStoppedError, UnknownServiceError } from './errors.js';
import type { InstanceContext, InstanceEvent } from './instance-context.js';
import { ServiceInstance } from './instance.js';
import { BoundedReplay } from './bounded-replay.js';
import { orderedStop$ } from './ordered-stop.js';
import { listenForStops } from './stop-triggers.js';
import { readyWait } from './ready-wait.js';
import { type ResolvedSupervisorConfig, resolveSupervisorConfig } from './resolve-config.js';
import { type ResolvedSupervisorOptions, resolveSupervisorOptions } from './supervisor-options.js';
import { type SupervisorDeps, defaultSupervisorDeps } from './supervisor-deps.js';
import type {
  OutputLine,
  ServiceStopReport,
  ShutdownReason,
  SupervisorEvent,
  SupervisorReport,
  SupervisorState,
} from './state-types.js';
import type { Supervisor } from './supervisor-types.js';

/**
 * Runs a set of services as one system: each starts once its dependencies meet their conditions, is probed,
 * restarted by its policy with backoff, and stopped in reverse dependency order. The configuration is checked
 * first; nothing starts when it is wrong.
 * @throws {@link SupervisorConfigError}, {@link DependencyCycleError} or `InvalidOptionError` for a bad
 * configuration or option.
 */
export function supervise(config: SupervisorConfig, options: SupervisorOptions = {}): Supervisor {
  return new ServiceSupervisor(
    resolveSupervisorConfig(config),
    resolveSupervisorOptions(options),
    defaultSupervisorDeps(),
  );
}

/**
 * Checks a configuration the way {@link supervise} does, without starting anything (for a `validate` command, or
 * a test of your own configuration).
 * @throws {@link SupervisorConfigError} or {@link DependencyCycleError}.
 */
export function checkSupervisorConfig(config: SupervisorConfig): void {
  resolveSupervisorConfig(config);
}

/** @internal */
/** {@link supervise} with its process-wide services given (tests pass fakes). */
export function superviseWith(
  config: SupervisorConfig,
  options: SupervisorOptions,
  deps: SupervisorDeps,
): Supervisor {
  return new ServiceSupervisor(resolveSupervisorConfig(config), resolveSupervisorOptions(options), deps);
}

class ServiceSupervisor implements Supervisor {
  readonly state$: Observable<SupervisorState>;
  readonly events$: Observable<SupervisorEvent>;
  readonly output$: Observable<OutputLine>;
  readonly stopped: Promise<SupervisorReport>;

  private readonly scheduler: SchedulerLike;
  private readonly instances: ServiceInstance[];
  private readonly byName = new Map<string, ServiceInstance>();
  private readonly waits = new Map<ServiceInstance, Subscription>();
  private readonly events: BoundedReplay<SupervisorEvent>;
  private readonly output: BoundedReplay<OutputLine>;
  private readonly changes = new Subject<void>();
  private readonly outputHeld = new BehaviorSubject(false);
  private outputHolds = 0;
  private readonly report = new ReplaySubject<SupervisorReport>(1);
  phase: SupervisorState['phase'] = 'running';
  private forced = false;
  private restarting = 0;
  private started = false;
  private readonly teardown: (() => void)[] = [];

  constructor(
    private readonly config: ResolvedSupervisorConfig,
    private readonly options: ResolvedSupervisorOptions,
    private readonly deps: SupervisorDeps,
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.events = new BoundedReplay(options.eventReplay);
    this.output = new BoundedReplay(options.outputReplay);
    this.events$ = this.events.observable;
    this.output$ = this.output.observable;
    this.stopped = firstValueFrom(this.report);
    this.state$ = defer(() =>
      concat(
        of(this.state),
        this.changes.pipe(
          auditTime(options.stateIntervalMs, this.scheduler),
          map(() => this.state),
        ),
      ),
    );
    const context: InstanceContext = {
      scheduler: this.scheduler,
      spawn: deps.spawn,
      probe: deps.probe,
      random: deps.random,
      usageIntervalMs: options.usageIntervalMs,
      maxLineLength: options.maxLineLength,
      outputHeld$: this.outputHeld.pipe(distinctUntilChanged()),
      emit: (event) => this.onInstanceEvent(event),
      line: (line) => this.output.next(line),
      changed: () => this.changes.next(),
      failed: (name) => this.onFailed(name),
    };
    this.instances = config.instances.map((instance) => new ServiceInstance(instance, context));
    for (const instance of this.instances) this.byName.set(instance.name, instance);
    this.teardown.push(listenForStops(this, options, deps, this.scheduler));
    if (this.phase === 'running') {
      for (const instance of this.instances) if (instance.config.autostart) this.schedule(instance);
    }
    this.started = true;
    // Everything may have ended while the services were set up (a skip, a refused spawn).
    this.checkAllEnded();
  }

  get state(): SupervisorState {
    return { phase: this.phase, at: this.scheduler.now(), services: this.instances.map((i) => i.snapshot()) };
  }

  ready(services?: readonly string[]): Promise<void> {
    const targets =
      services === undefined
        ? this.instances.filter((i) => i.config.autostart)
        : services.flatMap((name) => this.resolve(name));
    return readyWait(targets, this.report);
  }

  stop(reason: ShutdownReason = { type: 'request' }): Promise<SupervisorReport> {
    if (this.phase === 'stopping') this.force();
    else if (this.phase === 'running') this.beginStop(reason);
    return this.stopped;
  }

  kill(): Promise<SupervisorReport> {
    if (this.phase === 'stopping') this.force();
    else if (this.phase === 'running') {
      this.forced = true;
      this.beginStop({ type: 'request' });
    }
    return this.stopped;
  }

  pauseOutput(): () => void {
    this.outputHolds += 1;
    this.outputHeld.next(true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.outputHolds -= 1;
      if (this.outputHolds === 0) this.outputHeld.next(false);
    };
  }

  stopService(name: string): Promise<readonly ServiceStopReport[]> {
    for (const instance of this.resolve(name)) instance.manuallyStopped = true;
    return this.stopInstances(name, 'graceful');
  }

  killService(name: string): Promise<readonly ServiceStopReport[]> {
    for (const instance of this.resolve(name)) instance.manuallyStopped = true;
    return this.stopInstances(name, 'kill');
  }

  private stopInstances(name: string, mode: 'graceful' | 'kill'): Promise<readonly ServiceStopReport[]> {
    const targets = this.resolve(name);
    for (const instance of targets) {
      this.cancelWait(instance);
      // Already stopping gracefully: a kill cuts that short.
      if (mode === 'kill') instance.killNow();
    }
    return firstValueFrom(forkJoin(targets.map((instance) => instance.stop$(mode))));
  }

  startService(name: string): void {
    const targets = this.resolve(name);
    if (this.phase !== 'running') throw new SupervisorStoppedError(`start ${name}`);
    for (const instance of targets) this.startWithDependencies(instance);
  }

  async restart(name: string): Promise<void> {
    const targets = this.resolve(name);
    if (this.phase !== 'running') throw new SupervisorStoppedError(`restart ${name}`);
    this.restarting += 1;
    // Dependents still waiting would see the brief `stopped` and give up: they wait again after the start.
    const waiting = targets
      .flatMap((target) => this.dependentsOf(target.name))
      .filter((d) => this.waits.has(d));
    for (const dependent of waiting) this.cancelWait(dependent);
    try {
      await this.stopService(name);
      if (this.phase !== 'running') throw new SupervisorStoppedError(`restart ${name}`);
      for (const instance of targets) {
        instance.resetRestarts();
        this.startWithDependencies(instance);
      }
      for (const dependent of new Set(waiting)) if (dependent.status === 'waiting') this.schedule(dependent);
    } finally {
      this.restarting -= 1;
    }
  }

  /** A service name (all its instances) or an instance name. */
  private resolve(name: string): ServiceInstance[] {
    const instances = this.config.instancesOf.get(name);
    if (instances !== undefined) return instances.map((instance) => this.byName.get(instance)!);
    const instance = this.byName.get(name);
    if (instance === undefined) throw new UnknownServiceError(name);
    return [instance];
  }

  private startWithDependencies(instance: ServiceInstance, isDependency = false): void {
    if (!ENDED_STATUSES.has(instance.status)) return;
    // A one-shot dependency that completed did its job (migrations ran): it is not run again for a dependent.
    if (isDependency && instance.status === 'completed') return;
    for (const dependency of Object.keys(instance.config.dependsOn))
      this.startWithDependencies(this.byName.get(dependency)!, true);
    this.schedule(instance);
  }

  /** Starts the instance once its dependencies are met, or skips it when they never will be. */
  private schedule(instance: ServiceInstance): void {
    this.cancelWait(instance);
    const dependencies = Object.keys(instance.config.dependsOn);
    instance.wait(dependencies);
    if (dependencies.length === 0) {
      instance.begin();
      return;
    }
    const wait = dependencyVerdicts$(
      instance.config.dependsOn,
      (name) => this.byName.get(name)!.facts$,
    ).subscribe((verdict) => {
      if (verdict.type === 'waiting') {
        instance.waitingFor = verdict.waitingFor;
        this.changes.next();
      } else if (verdict.type === 'met') {
        this.waits.delete(instance);
        instance.begin();
      } else {
        this.waits.delete(instance);
        instance.skip(verdict.reason);
      }
    });
    if (!wait.closed) this.waits.set(instance, wait);
  }

  private cancelWait(instance: ServiceInstance): void {
    this.waits.get(instance)?.unsubscribe();
    this.waits.delete(instance);
  }

  private onInstanceEvent(event: InstanceEvent): void {
    this.events.next(event);
    // Off the current emission: ending the supervisor completes events$, and the instance may still be reporting.
    if (event.type === 'status' && ENDED_STATUSES.has(event.status))
      this.scheduler.schedule(() => this.checkAllEnded());
  }

  private checkAllEnded(): void {
    if (!this.started || this.phase !== 'running' || this.restarting > 0 || !this.options.endWhenAllEnded)
      return;
    const ended = (instance: ServiceInstance): boolean =>
      ENDED_STATUSES.has(instance.status) && !instance.isRunning && !instance.manuallyStopped;
    if (this.instances.every(ended)) {
      this.beginStop({ type: 'allEnded' });
    }
  }

  /** A service ended `failed`: its failure policy decides what else stops. */
  private onFailed(name: string): void {
    const instance = this.byName.get(name)!;
    switch (instance.config.restart.onExhausted) {
      case 'ignore':
        return;
      case 'shutdown':
        if (this.phase === 'running') this.beginStop({ type: 'serviceFailed', service: name });
        return;
      case 'stop-dependents':
        for (const dependent of this.dependentsOf(name)) {
          this.cancelWait(dependent);
          dependent.stop$('graceful', `dependency ${name} failed`).subscribe();
        }
    }
  }

  private dependentsOf(name: string): ServiceInstance[] {
    const found = new Set<ServiceInstance>();
    const visit = (dependency: string): void => {
      for (const instance of this.instances) {
        if (dependency in instance.config.dependsOn && !found.has(instance)) {
          found.add(instance);
          visit(instance.name);
        }
      }
    };
    visit(name);
    return [...found];
  }

  /** @internal Starts the ordered stop (also called by the stop triggers). */
  beginStop(reason: ShutdownReason): void {
    this.phase = 'stopping';
    const startedAt = this.scheduler.now();
    this.events.next({ type: 'shutdown', at: startedAt, stage: 'started', reason });
    for (const wait of this.waits.values()) wait.unsubscribe();
    this.waits.clear();
    for (const instance of this.instances) instance.freeze('supervisor stopped');
    this.changes.next();
    const levels = this.config.stopLevels;
    orderedStop$(
      this.instances,
      (instance) => (this.forced ? 0 : levels.get(instance.name)!),
      () => (this.forced ? 'kill' : 'graceful'),
      'supervisor stopped',
    )
      .pipe(
        // The last lines of a service arrive after its exit: output$ completes only once every run's output ended
        // (each bounded by its handle's EOF timeout), so the tail of a log, often its last error, is never lost.
        concatMap((services) =>
          concat(
            merge(...this.instances.map((instance) => instance.outputDrained$)).pipe(ignoreElements()),
            of(services),
          ),
        ),
      )
      .subscribe((services) =>
        this.finish({ reason, forced: this.forced, services, durationMs: this.scheduler.now() - startedAt }),
      );
  }

  /** @internal Kills what is still running (a second stop request). */
  force(): void {
    if (this.forced) return;
    this.forced = true;
    this.events.next({
      type: 'shutdown',
      at: this.scheduler.now(),
      stage: 'forced',
      reason: { type: 'request' },
    });
    for (const instance of this.instances) instance.killNow();
  }

  private finish(report: SupervisorReport): void {
    this.phase = 'stopped';
    this.events.next({ type: 'shutdownCompleted', at: this.scheduler.now(), report });
    this.changes.next();
    this.report.next(report);
    this.report.complete();
    // After `stopped` settled: re-raising a parent signal may end this process.
    for (const undo of this.teardown.splice(0)) undo();
    this.changes.complete();
    this.events.complete();
    this.output.complete();
  }
}
