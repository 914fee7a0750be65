import type { ChildProcess } from 'node:child_process';
import type { ExitStatus } from '../core/exit-status.js';
import { createOutputStream } from '../streams/output-control.js';
import { ChildGroup, type GroupSignal } from './child-group.js';
import { ChildTermination } from './child-termination.js';
import type { ProcessDeps } from './deps.js';
import { type ChildOutput, ChildLifecycle } from './lifecycle.js';
import type { ResolvedSpawnOptions } from './options.js';
import type { ChildStart } from './start-child.js';
import { StdinPipe } from './stdin.js';
import { whenAborted } from './abort-registry.js';

/** @internal */
/**
 * Everything one start produced, wired together: the lifecycle, the output streams, stdin, the group (once the OS
 * confirmed the start) and termination. Built from a {@link ChildStart} in the same tick as the spawn, so an early
 * exit or error can never be missed. `ProcessHandle` is the public façade over it.
 */
export class StartedChild {
  readonly name: string;
  readonly options: ResolvedSpawnOptions;
  readonly deps: ProcessDeps;
  readonly outputs: readonly [stdout: ChildOutput, stderr: ChildOutput];
  readonly lifecycle: ChildLifecycle;
  readonly termination: ChildTermination;
  readonly stdin: StdinPipe;
  private groupValue: ChildGroup | undefined;
  private detached = false;
  private child: ChildProcess | undefined;

  constructor(start: ChildStart, deps: ProcessDeps) {
    const { name, options } = start;
    const { scheduler } = options;
    this.name = name;
    this.options = options;
    this.deps = deps;
    this.outputs = [
      createOutputStream(options.stdout.options, { name: 'stdout', scheduler }),
      createOutputStream(options.stderr.options, { name: 'stderr', scheduler }),
    ];
    this.lifecycle = new ChildLifecycle(options, this.outputs);
    this.termination = new ChildTermination({
      name,
      options,
      deps,
      lifecycle: this.lifecycle,
      group: () => this.groupValue,
      unblock: () => this.unblock(),
    });
    if (start.kind === 'refused') {
      this.stdin = new StdinPipe(name, null, () => undefined);
      this.lifecycle.failed(start.error);
      return;
    }
    const { child } = start;
    this.child = child;
    this.stdin = new StdinPipe(name, child.stdin ?? null, () =>
      this.lifecycle.emit({ type: 'stdinClosed', at: this.lifecycle.now() }),
    );
    child.once('spawn', () => this.onSpawn(child, start.markerToken));
    child.on('error', (error) => {
      // After the spawn, ChildProcess only emits 'error' for kill() failures, and rxproc never calls kill(); the
      // listener stays so that such an error can never crash the parent.
      if (this.lifecycle.state === 'spawning') this.lifecycle.failed(start.diagnose(error));
    });
    child.once('exit', (code, signal) => this.onExit({ code, signal }));
    // Node leaves the stdio fields undefined, not null, when creating the pipes failed (EMFILE).
    const [stdout, stderr] = this.outputs;
    if (child.stdout) this.lifecycle.readOutput(stdout, child.stdout);
    if (child.stderr) this.lifecycle.readOutput(stderr, child.stderr);
    this.watchAbortSignal(options.signal);
  }

  /** The child's group, once the OS confirmed the start. */
  get group(): ChildGroup | undefined {
    return this.groupValue;
  }

  /**
   * Opts out of parent-exit cleanup (also before the spawn completed) and lets go of the child: its pipes are
   * closed (stdin ends, the output views end as forced, reason `'detached'`) and Node no longer waits for it, so this
   * process can end while the child runs on. Pipes are closed rather than left open because an open pipe keeps both
   * sides waiting: the parent's event loop on the read end, a child like `cat` on its stdin.
   */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.groupValue?.disarm();
    if (this.stdin.writable) this.stdin.destroy();
    this.lifecycle.forceCloseOutput('detached');
    this.child?.unref();
  }

  /**
   * Undoes the cleanup part of {@link detach}: the group is armed again (when the spawn completes, if it has not
   * yet). The released pipes stay closed and Node still does not wait for the child. Idempotent.
   */
  rearm(): void {
    this.detached = false;
    if (this.lifecycle.state === 'failed') return;
    this.groupValue?.rearm();
  }

  /** A child about to be stopped must not stay blocked on input, nor on writing to a full output pipe. */
  private unblock(): void {
    if (this.stdin.writable) this.stdin.end().catch(() => undefined);
    for (const output of this.outputs) output.control.releaseBackpressure();
  }

  private onSpawn(child: ChildProcess, markerToken: string | undefined): void {
    const pid = child.pid;
    if (pid === undefined) return; // cannot happen after 'spawn'; never act on an undefined pid
    const { scheduler, parentSignals } = this.options;
    const parent = {
      policy: parentSignals,
      now: () => scheduler.now(),
      terminate: () =>
        this.termination.start(undefined, 'parentSignal').result.then(
          () => undefined,
          () => undefined,
        ),
    };
    const group = new ChildGroup(pid, this.deps, parent, markerToken);
    this.groupValue = group;
    group.signals$.subscribe((sent) => this.onGroupSignal(sent));
    if (this.termination.inProgress) group.terminationStarted();
    if (this.options.cleanupOnParentExit && !this.detached) group.arm();
    this.lifecycle.spawned(pid, this.name);
  }

  private onExit(status: ExitStatus): void {
    if (this.lifecycle.state === 'failed') return;
    this.stdin.markProcessExited();
    this.lifecycle.exited(status);
    this.groupValue?.leaderExited();
  }

  private onGroupSignal({ signal, cause, pgid, outcome }: GroupSignal): void {
    const at = this.lifecycle.now();
    this.lifecycle.emit(
      outcome.ok
        ? { type: 'signalSent', signal, pgid, cause, at }
        : { type: 'signalFailed', signal, pgid, cause, code: outcome.code, error: outcome.error, at },
    );
  }

  private watchAbortSignal(signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    // One listener per signal however many children share it (see whenAborted).
    const remove = whenAborted(signal, () => {
      this.termination.start(undefined, 'aborted').result.catch(() => undefined);
    });
    this.lifecycle.exit$.subscribe({ complete: remove, error: remove });
  }
}
