/**
 * A fake spawner for supervisor tests: every run is a {@link FakeServiceProcess} driven by a script in virtual time
 * (a `TestScheduler` outside run mode, flushed by the test).
 */
import { expect } from 'chai';
import {
  AsyncSubject,
  type Observable,
  ReplaySubject,
  Subject,
  defer,
  of,
  timer,
  map,
  take,
  takeUntil,
  throwError,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type {
  ExitStatus,
  ProcessEvent,
  SignalName,
  SupervisorConfig,
  SupervisorOptions,
  TerminationReport,
} from '../../src/index.js';
import { SpawnError } from '../../src/index.js';
import type { ParentSignalHandlers, ParentSignals } from '../../src/platform/parent-signals.js';
import { runProbe$ } from '../../src/supervisor/probes/probe.js';
import type { ServiceLine } from '../../src/supervisor/probes/log-probe.js';
import type { ServiceLaunch, ServiceProcess } from '../../src/supervisor/service-process.js';
import type { ServiceUsage } from '../../src/supervisor/state-types.js';
import type { SupervisorDeps } from '../../src/supervisor/supervisor-deps.js';
import { superviseWith } from '../../src/supervisor/supervisor.js';
import type { SupervisorEvent, Supervisor } from '../../src/index.js';

let nextPid = 1000;

/** One fake run. The script calls `print`, `exit`; `terminate` ends it after `stopDelay` unless told otherwise. */
export class FakeServiceProcess implements ServiceProcess {
  pid: number | undefined;
  readonly events = new ReplaySubject<ProcessEvent>();
  readonly exit = new AsyncSubject<ExitStatus>();
  readonly lines = new ReplaySubject<ServiceLine>(100);
  readonly terminateCalls: number[] = [];
  readonly killCalls: number[] = [];
  /** Overrides how `terminate()` answers. */
  onTerminate: (() => Observable<TerminationReport>) | undefined;
  /** How long a graceful stop takes; `Infinity` to ignore it (only a kill ends it). */
  stopDelay = 10;
  private readonly killed = new Subject<void>();

  constructor(
    readonly launch: ServiceLaunch,
    private readonly scheduler: TestScheduler,
  ) {}

  get events$(): Observable<ProcessEvent> {
    return this.events;
  }
  get exit$(): Observable<ExitStatus> {
    return this.exit;
  }
  get lines$(): Observable<ServiceLine> {
    return this.lines;
  }

  spawned(): void {
    this.pid = nextPid++;
    this.events.next({
      type: 'spawned',
      pid: this.pid,
      pgid: this.pid,
      name: this.launch.name,
      at: this.scheduler.now(),
    });
  }

  spawnFails(): void {
    const error = new SpawnError('COMMAND_NOT_FOUND', this.launch.name, 'not found');
    this.events.next({ type: 'spawnFailed', error, at: this.scheduler.now() });
    this.events.complete();
    this.exit.error(error);
  }

  print(line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.lines.next({ stream, line });
  }

  get alive(): boolean {
    return this.pid !== undefined && !this.exit.closed && !this.exited;
  }

  private exited = false;
  /** Output stays open after the exit until `endOutput()` (a grandchild holding the pipe, lines still buffered). */
  lingerOutput = false;

  endOutput(): void {
    this.lines.complete();
  }

  exitWith(code: number | null, signal: SignalName | null = null): void {
    if (this.exited) return;
    this.exited = true;
    const status = { code, signal };
    this.events.next({ type: 'exited', ...status, at: this.scheduler.now() } as ProcessEvent);
    this.exit.next(status);
    this.exit.complete();
    if (!this.lingerOutput) this.lines.complete();
    this.events.complete();
  }

  terminate(): Observable<TerminationReport> {
    return defer(() => {
      this.terminateCalls.push(this.scheduler.now());
      if (this.onTerminate !== undefined) return this.onTerminate();
      if (this.exited) return of(report(this.launch.name, 'SIGTERM'));
      const graceful$: Observable<unknown> =
        this.stopDelay === Infinity ? this.killed : timer(this.stopDelay, this.scheduler);
      return graceful$.pipe(
        take(1),
        map(() => {
          this.exitWith(null, this.killCalls.length > 0 ? 'SIGKILL' : 'SIGTERM');
          return report(this.launch.name, this.killCalls.length > 0 ? 'SIGKILL' : 'SIGTERM');
        }),
      );
    });
  }

  kill(): Observable<TerminationReport> {
    return defer(() => {
      this.killCalls.push(this.scheduler.now());
      this.killed.next();
      this.exitWith(null, 'SIGKILL');
      return of(report(this.launch.name, 'SIGKILL'));
    });
  }

  /** Open output holds (backpressure) on this run. */
  holds = 0;

  holdOutput(): () => void {
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
    };
  }

  usage$(): Observable<ServiceUsage> {
    return of({ cpuPercent: 1, rssBytes: 1024, processes: 1 }).pipe(takeUntil(this.exit));
  }

  /** Makes `terminate()` fail with `error`. */
  failTerminationWith(error: Error): void {
    this.onTerminate = () => throwError(() => error);
  }
}

function report(name: string, signal: SignalName): TerminationReport {
  return {
    processName: name,
    status: { code: null, signal },
    endedBy: 'signal',
    reason: { type: 'call' },
    forced: signal === 'SIGKILL',
    durationMs: 0,
    attempts: [],
    signalsSent: [signal],
    signalsForwarded: [],
    snapshotOutcome: 'complete',
    snapshot: [],
    snapshotTruncated: false,
    survivorsKilled: [],
    stillAlive: [],
  } as unknown as TerminationReport;
}

/** What a service's runs do: called at each spawn with the run and the run number (1-based). */
export type Script = (
  run: FakeServiceProcess,
  runNumber: number,
  at: (delay: number, work: () => void) => void,
) => void;

/** A fake ParentSignals: the test raises signals; `reraised` records the supervisor's re-raise. */
export class FakeParentSignals implements ParentSignals {
  handlers: ParentSignalHandlers | undefined;
  readonly reraised: SignalName[] = [];
  others = 0;
  listen(handlers: ParentSignalHandlers): () => void {
    this.handlers = handlers;
    return () => {
      this.handlers = undefined;
    };
  }
  reraise(signal: SignalName): void {
    this.reraised.push(signal);
  }
  raise(signal: SignalName): void {
    this.handlers?.onSignal(signal, this.others > 0, this.others);
  }
}

/** A supervisor over fake runs, in virtual time. */
export function fakeSupervisor(
  config: SupervisorConfig,
  scripts: Record<string, Script>,
  options: Omit<SupervisorOptions, 'scheduler'> = {},
  overrides: Partial<SupervisorDeps> = {},
) {
  const scheduler = new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  const runs: FakeServiceProcess[] = [];
  const counts = new Map<string, number>();
  const signals = new FakeParentSignals();
  const deps: SupervisorDeps = {
    spawn: (launch) => {
      const run = new FakeServiceProcess(launch, scheduler);
      runs.push(run);
      const number = (counts.get(launch.name) ?? 0) + 1;
      counts.set(launch.name, number);
      const script = scripts[launch.name] ?? scripts[launch.name.split('.')[0]!] ?? ((r) => r.spawned());
      script(run, number, (delay, work) => scheduler.schedule(work, delay));
      return run;
    },
    probe: runProbe$,
    random: () => 0.5,
    parentSignals: signals,
    cleanupListening: () => false,
    ...overrides,
  };
  const supervisor = superviseWith(
    config,
    { usageIntervalMs: false, stateIntervalMs: 50, ...options, scheduler },
    deps,
  );
  const events: SupervisorEvent[] = [];
  supervisor.events$.subscribe((event) => events.push(event));
  const runsOf = (name: string): FakeServiceProcess[] => runs.filter((run) => run.launch.name === name);
  /** `name@time` of each start, in order. */
  const starts = (): string[] =>
    events
      .filter((e): e is Extract<SupervisorEvent, { type: 'started' }> => e.type === 'started')
      .map((e) => `${e.service}@${e.at}`);
  const statuses = (name: string): string[] =>
    events
      .filter(
        (e): e is Extract<SupervisorEvent, { type: 'status' }> => e.type === 'status' && e.service === name,
      )
      .map((e) => `${e.status}@${e.at}`);
  return { supervisor: supervisor as Supervisor, scheduler, runs, runsOf, events, starts, statuses, signals };
}

/** Spawned at once, ready line after `readyAfter`, runs until stopped. */
export const readyAfter =
  (delay: number, line = 'ready'): Script =>
  (run, _n, at) => {
    run.spawned();
    at(delay, () => run.print(line));
  };

/** Spawned at once, exits with `code` after `delay`. */
export const exitsAfter =
  (delay: number, code: number): Script =>
  (run, _n, at) => {
    run.spawned();
    at(delay, () => run.exitWith(code));
  };
