import type { SignalName } from '../core/signals.js';
import { type ParentSignals, processParentSignals } from '../platform/parent-signals.js';

/** @internal */
/** What the cleanup needs from one live child. Both calls are synchronous and never throw. */
export interface ArmedChild {
  /** Passes a signal the parent received on to the child's group, as a terminal would have. */
  forwardSignal(signal: SignalName): void;
  /** Kills the child's group and its recorded escapees at once: the parent is about to die. */
  killNowSync(): void;
}

/** @internal */
/**
 * One set of process-level listeners for all children, installed while at least one child is armed and removed
 * when the last one is disarmed, so listeners never accumulate (one per child would trip MaxListenersExceeded).
 *
 * - Parent `'exit'` (normal end, `process.exit`, uncaught exception, unhandled rejection): every armed group is
 *   killed synchronously, the only work an exit listener can do.
 * - Parent SIGINT/SIGTERM/SIGHUP: children run in their own session, so a terminal's Ctrl-C never reaches them.
 *   If the application listens for the signal itself, it decides what happens: the signal is forwarded to the
 *   children and nothing else is done. If rxproc is the only listener, the parent was about to die by that
 *   signal: the children are killed, and the signal is raised again with its default action, so the exit status
 *   the shell sees is unchanged (128 + n).
 */
export class ParentExitCleanup {
  private readonly armed = new Set<ArmedChild>();
  private removeListeners: (() => void) | undefined;
  private pendingUninstall: NodeJS.Immediate | undefined;

  constructor(private readonly signals: ParentSignals = processParentSignals()) {}

  /** Registers a child for cleanup; installs the listeners on the first one. */
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
   * Idempotent.
   */
  disarm(child: ArmedChild): void {
    this.armed.delete(child);
    if (this.armed.size !== 0 || this.removeListeners === undefined || this.pendingUninstall !== undefined)
      return;
    this.pendingUninstall = setImmediate(() => {
      this.pendingUninstall = undefined;
      if (this.armed.size === 0) this.uninstall();
    });
    // Waiting to tidy up must never keep the parent alive.
    this.pendingUninstall.unref();
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
    if (othersListening) {
      for (const child of this.armed) child.forwardSignal(signal);
      return;
    }
    this.killAllSync();
    this.armed.clear();
    this.cancelPendingUninstall();
    this.uninstall();
    this.signals.reraise(signal);
  }

  private uninstall(): void {
    this.removeListeners?.();
    this.removeListeners = undefined;
  }
}

let shared: ParentExitCleanup | undefined;

/** @internal */
/** The cleanup shared by every handle in this process, created on first use. */
export function sharedParentExitCleanup(): ParentExitCleanup {
  shared ??= new ParentExitCleanup();
  return shared;
}
