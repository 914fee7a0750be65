import type { SignalName } from '../core/signals.js';
import { type ParentSignals, processParentSignals } from '../platform/parent-signals.js';
import type { ParentSignalPolicy } from './parent-signal-policy.js';

/** @internal */
/** What the cleanup needs from one live child. No call throws; `terminateForParent` never rejects. */
export interface ArmedChild {
  /** What this child gets when the parent receives a stop signal. */
  readonly parentSignals: ParentSignalPolicy;
  /** Passes a signal the parent received on to the child's group, as a terminal would have. */
  forwardSignal(signal: SignalName): void;
  /** Kills the child's group and its recorded escapees at once: the parent is about to die. */
  killNowSync(): void;
  /** Runs the child's graceful shutdown for a parent signal; settles when the run is over, however it ended. */
  terminateForParent(): Promise<void>;
}

/** The children draining for one parent signal, until they are done or a second signal cuts them short. */
interface Draining {
  readonly children: ReadonlySet<ArmedChild>;
  /** The parent ends with this signal once they are done (nobody else listened for it). */
  readonly reraise: SignalName | undefined;
}

/** @internal */
/**
 * One set of process-level listeners for all children, installed while at least one child is armed and removed
 * when the last one is disarmed, so listeners never accumulate (one per child would trip MaxListenersExceeded).
 *
 * - Parent `'exit'` (normal end, `process.exit`, uncaught exception, unhandled rejection): every armed group is
 *   killed synchronously, the only work an exit listener can do.
 * - Parent SIGINT/SIGTERM/SIGHUP: children run in their own session, so a terminal's Ctrl-C never reaches them.
 *   Each armed child gets what its {@link ParentSignalPolicy} says: forwarded once, a graceful shutdown (all in
 *   parallel, the parent kept alive by their timers), or killed. If the application listens for the signal
 *   itself, that is all: it decides whether the parent ends. Otherwise the parent was about to die by that
 *   signal: once the shutdowns are done, the children still armed are killed and the signal is raised again with
 *   its default action, so the exit status the shell sees is unchanged (128 + n). A second stop signal while
 *   shutdowns run kills those children at once (and, without an application listener, ends the parent at once).
 */
export class ParentExitCleanup {
  private readonly armed = new Set<ArmedChild>();
  private removeListeners: (() => void) | undefined;
  private pendingUninstall: NodeJS.Immediate | undefined;
  private draining: Draining | undefined;

  constructor(private readonly signals: ParentSignals = processParentSignals()) {}

  /** Registers a child for cleanup; installs the listeners on the first one. Idempotent. */
  arm(child: ArmedChild): void {
    this.armed.add(child);
    this.cancelPendingUninstall();
    this.removeListeners ??= this.signals.listen({
      onExit: () => this.killAllSync(),
      onSignal: (signal, othersListening) => this.onSignal(signal, othersListening),
    });
  }

  /**
   * Unregisters a child. After the last one, the listeners are removed at the end of the current event-loop
   * turn: children started one after another would otherwise re-install the OS signal handlers every time.
   * Idempotent. While children drain for a parent signal the listeners stay, so a second signal is still caught.
   */
  disarm(child: ArmedChild): void {
    this.armed.delete(child);
    if (this.armed.size !== 0 || this.removeListeners === undefined || this.pendingUninstall !== undefined)
      return;
    if (this.draining !== undefined) return;
    this.pendingUninstall = setImmediate(() => {
      this.pendingUninstall = undefined;
      if (this.armed.size === 0 && this.draining === undefined) this.uninstall();
    });
    // Waiting to tidy up must never keep the parent alive.
    this.pendingUninstall.unref();
  }

  /** True while the process-level listeners are installed (one listener per stop signal is rxproc's). */
  get isListening(): boolean {
    return this.removeListeners !== undefined;
  }

  /** How many children are armed now. */
  get size(): number {
    return this.armed.size;
  }

  private cancelPendingUninstall(): void {
    if (this.pendingUninstall === undefined) return;
    clearImmediate(this.pendingUninstall);
    this.pendingUninstall = undefined;
  }

  private killAllSync(): void {
    for (const child of this.armed) child.killNowSync();
  }

  private onSignal(signal: SignalName, othersListening: boolean): void {
    const draining = this.draining;
    if (draining !== undefined) {
      this.secondSignal(draining, signal, othersListening);
      return;
    }
    const stopping = new Set<ArmedChild>();
    const killed = new Set<ArmedChild>();
    for (const child of [...this.armed]) {
      switch (effectivePolicy(child.parentSignals, othersListening)) {
        case 'forward':
          child.forwardSignal(signal);
          break;
        case 'kill':
          child.killNowSync();
          killed.add(child);
          break;
        case 'terminate':
          stopping.add(child);
          break;
        case 'none':
          break;
      }
    }
    const reraise = othersListening ? undefined : signal;
    if (stopping.size === 0) {
      if (reraise !== undefined) this.endParent(reraise, killed);
      return;
    }
    const current: Draining = { children: stopping, reraise };
    this.draining = current;
    void Promise.all([...stopping].map((child) => child.terminateForParent())).then(() => {
      // A second signal may have ended this drain already.
      if (this.draining !== current) return;
      this.draining = undefined;
      if (reraise !== undefined) this.endParent(reraise);
      else if (this.armed.size === 0) this.disarmLast();
    });
  }

  /** Patience is over: the draining children are killed, and a parent nobody keeps alive ends now. */
  private secondSignal(draining: Draining, signal: SignalName, othersListening: boolean): void {
    this.draining = undefined;
    if (!othersListening) {
      this.endParent(signal);
      return;
    }
    for (const child of draining.children) if (this.armed.has(child)) child.killNowSync();
    for (const child of this.armed) {
      if (!draining.children.has(child) && effectivePolicy(child.parentSignals, true) === 'forward')
        child.forwardSignal(signal);
    }
    if (this.armed.size === 0) this.disarmLast();
  }

  /** The parent dies by `signal`: what is still armed is killed, then the signal's default action ends it. */
  private endParent(signal: SignalName, alreadyKilled: ReadonlySet<ArmedChild> = new Set()): void {
    for (const child of this.armed) if (!alreadyKilled.has(child)) child.killNowSync();
    this.armed.clear();
    this.cancelPendingUninstall();
    this.uninstall();
    this.signals.reraise(signal);
  }

  private disarmLast(): void {
    this.cancelPendingUninstall();
    this.uninstall();
  }

  private uninstall(): void {
    this.removeListeners?.();
    this.removeListeners = undefined;
  }
}

function effectivePolicy(
  policy: ParentSignalPolicy,
  othersListening: boolean,
): Exclude<ParentSignalPolicy, 'auto'> {
  if (policy !== 'auto') return policy;
  return othersListening ? 'forward' : 'terminate';
}

let shared: ParentExitCleanup | undefined;

/** @internal */
/** The cleanup shared by every handle in this process, created on first use. */
export function sharedParentExitCleanup(): ParentExitCleanup {
  shared ??= new ParentExitCleanup();
  return shared;
}
