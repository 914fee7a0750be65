/**
 * A scripted OS for unit tests of the process layer: a fake child (an EventEmitter with pipes), a platform whose
 * every method is a sinon stub answering synchronously (so `TestScheduler` virtual time is never outrun by a
 * microtask), a command lookup without files, and a parent-exit registry with fake process-level listeners.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import sinon from 'sinon';
import type { SignalName } from '../../src/core/signals.js';
import type { CommandLookup } from '../../src/platform/command-lookup.js';
import type { ParentSignalHandlers, ParentSignals } from '../../src/platform/parent-signals.js';
import type {
  Holdout,
  Platform,
  ProcessIdentity,
  ProcessInfo,
  SignalOutcome,
  SpawnRequest,
} from '../../src/platform/types.js';
import type { ProcessDeps } from '../../src/process/deps.js';
import { ProcessTable, type ProcessRow } from '../../src/platform/process-table.js';
import type { SchedulerLike } from 'rxjs';
import { unrefScheduler } from '../../src/core/unref-scheduler.js';
import { ParentExitCleanup } from '../../src/process/parent-exit.js';

export const CHILD_PID = 4242;

/** A value as a thenable that calls back at once, as a real `/proc` read would if it were a promise. */
export function answerNow<T>(value: T): Promise<T> {
  const thenable = {
    then(onFulfilled?: (v: T) => unknown) {
      return answerNow(onFulfilled === undefined ? value : onFulfilled(value));
    },
  };
  return thenable as unknown as Promise<T>;
}

/** The child Node would hand back: emits `spawn`, `exit`, `error`; `pipes` says which stdio are pipes. */
export class FakeChild extends EventEmitter {
  readonly stdin: PassThrough | null;
  readonly stdout: PassThrough | null;
  readonly stderr: PassThrough | null;
  pid: number | undefined;
  /** Node stops waiting for the child (`detach()`). */
  readonly unref = sinon.spy();

  constructor(request: SpawnRequest) {
    super();
    this.stdin = request.stdin === 'pipe' ? new PassThrough() : null;
    this.stdout = request.stdout === 'pipe' ? new PassThrough() : null;
    this.stderr = request.stderr === 'pipe' ? new PassThrough() : null;
  }

  /** The OS confirmed the start. */
  start(pid = CHILD_PID): void {
    this.pid = pid;
    this.emit('spawn');
  }

  exited = false;

  /** The leader exited; its pipes end with it. */
  exit(code: number | null, signal: SignalName | null = null): void {
    this.exited = true;
    this.stdout?.end();
    this.stderr?.end();
    this.emit('exit', code, signal);
  }
}

const OK: SignalOutcome = { ok: true };

/** A group, its members and how they react to signals; every platform call goes through a stub. */
export class FakeOs {
  /** Lists the leader while it runs, a member while the group is alive, and the escapees alive. */
  readonly processTable: ProcessTable;
  readonly platform: ReturnType<FakeOs['stubs']> & { readonly processTable: ProcessTable };

  constructor(scheduler: SchedulerLike = unrefScheduler) {
    this.processTable = new ProcessTable(
      { scan: () => this.rows(), readEnv: (pid) => (this.marked.has(pid) ? this.markerToken : undefined) },
      { scheduler },
    );
    this.platform = { ...this.stubs(), processTable: this.processTable };
  }

  /** Pids of escapees that carry the child's marker. */
  readonly marked = new Set<number>();
  markerToken: string | undefined;

  readonly children: FakeChild[] = [];
  /** Processes of the tree besides the leader (escapees have another pgid). */
  members: ProcessInfo[] = [];
  groupAlive = true;
  /** What `signalGroup` answers for a signal; default delivered. */
  readonly sendOutcomes = new Map<SignalName, SignalOutcome>();
  /** Reactions to a delivered group signal. */
  readonly reactions = new Map<SignalName, () => void>();
  holdouts: readonly Holdout[] | undefined = undefined;
  readonly alive = new Set<string>();

  private stubs() {
    return {
      os: 'linux' as const,
      treePrecision: 'exact' as const,
      spawnChild: sinon.spy((request: SpawnRequest) => {
        const child = new FakeChild(request);
        this.children.push(child);
        return child as unknown as ChildProcess;
      }),
      signalGroup: sinon.spy((_pgid: number, signal: SignalName): SignalOutcome => {
        const outcome = this.sendOutcomes.get(signal) ?? OK;
        if (outcome.ok) this.reactions.get(signal)?.();
        return outcome;
      }),
      signalProcess: sinon.spy((pid: number, _signal: SignalName): SignalOutcome => {
        for (const key of this.alive) if (key.startsWith(`${pid}:`)) this.alive.delete(key);
        return OK;
      }),
      readProcess: sinon.spy(() => answerNow<ProcessInfo | undefined>(undefined)),
      isAlive: sinon.spy((identity: ProcessIdentity) => answerNow(this.alive.has(key(identity)))),
      isGroupAlive: sinon.spy(() => answerNow(this.groupAlive)),
      snapshotTree: sinon.spy(() => answerNow(this.leaderInfo().concat(this.members))),
      describeHoldouts: sinon.spy(() => answerNow(this.holdouts)),
      identify: sinon.spy((pid: number) => ({ pid, startTime: '1' })),
      findMarked: sinon.spy(() =>
        answerNow(this.members.filter((m) => this.marked.has(m.pid) && this.alive.has(key(m)))),
      ),
      killTreeSync: sinon.spy((_pgid: number | null, _escapees: readonly ProcessIdentity[]) => undefined),
    } satisfies Omit<Platform, 'processTable'>;
  }

  /** The last child started. */
  get child(): FakeChild {
    const child = this.children.at(-1);
    if (child === undefined) throw new Error('no child was spawned');
    return child;
  }

  /** Signals sent to the group, in order. */
  groupSignals(): SignalName[] {
    return this.platform.signalGroup.getCalls().map((call) => call.args[1]);
  }

  /** The leader and its group end when `signal` is delivered. */
  diesOn(signal: SignalName, code: number | null = null): void {
    this.reactions.set(signal, () => {
      this.groupAlive = false;
      this.child.exit(code, code === null ? signal : null);
    });
  }

  /** Adds a live process outside the group (moved away with setsid). */
  addEscapee(pid: number): ProcessIdentity {
    const identity = { pid, startTime: `${pid}00` };
    this.members.push({ ...identity, ppid: 1, pgid: pid, sid: pid, state: 'sleeping', command: 'daemon' });
    this.alive.add(key(identity));
    return identity;
  }

  private rows(): ProcessRow[] {
    const row = (info: ProcessInfo): ProcessRow => ({ ...info, cpuMs: 0, rssBytes: 0 });
    const rows: ProcessRow[] = [];
    const leader = this.children.at(-1);
    if (leader !== undefined && !leader.exited) rows.push(...this.leaderInfo().map(row));
    if (this.groupAlive) {
      rows.push(
        row({
          pid: 4300,
          startTime: '2',
          ppid: 1,
          pgid: CHILD_PID,
          sid: CHILD_PID,
          state: 'sleeping',
          command: 'member',
        }),
      );
    }
    for (const member of this.members) if (this.alive.has(key(member))) rows.push(row(member));
    return rows;
  }

  private leaderInfo(): ProcessInfo[] {
    const pid = this.child.pid ?? CHILD_PID;
    return [
      { pid, startTime: '1', ppid: process.pid, pgid: pid, sid: pid, state: 'sleeping', command: 'fake' },
    ];
  }
}

function key(identity: ProcessIdentity): string {
  return `${identity.pid}:${identity.startTime}`;
}

/** Process-level listeners that tests fire by hand. */
export class FakeParentSignals implements ParentSignals {
  handlers: ParentSignalHandlers | undefined;
  readonly reraise = sinon.spy((_signal: SignalName) => undefined);

  listen(handlers: ParentSignalHandlers): () => void {
    this.handlers = handlers;
    return () => {
      this.handlers = undefined;
    };
  }
}

/** A lookup that finds nothing: failed spawns are explained as missing commands. */
export const emptyLookup: CommandLookup = {
  cwdState: () => 'directory',
  locate: () => undefined,
  shebangInterpreter: () => undefined,
  isExecutable: () => false,
};

/** Everything a handle needs, faked; `signals` fires the parent's exit and stop signals. */
export function fakeDeps(os = new FakeOs()): { deps: ProcessDeps; os: FakeOs; signals: FakeParentSignals } {
  const signals = new FakeParentSignals();
  const deps: ProcessDeps = {
    platform: os.platform,
    lookup: emptyLookup,
    environment: { variables: () => ({ PATH: '/bin' }), cwd: () => '/work', windows: false },
    cleanup: new ParentExitCleanup(signals),
  };
  return { deps, os, signals };
}
