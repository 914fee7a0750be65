import { defer, map } from 'rxjs';
import { type RunOutcome, TerminationController, type TerminationRun } from '../termination/controller.js';
import { TerminationError } from '../termination/error.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';
import type { StopReason, TerminationEvent } from '../termination/types.js';
import type { ChildGroup } from './child-group.js';
import type { ProcessDeps } from './deps.js';
import { createGroupPort } from './group-port.js';
import type { ChildLifecycle } from './lifecycle.js';
import type { ResolvedSpawnOptions } from './options.js';
import { toProcessEvent } from './termination-events.js';

/** @internal */
/** What termination needs from the handle besides the lifecycle. */
export interface TerminationHost {
  readonly name: string;
  readonly options: ResolvedSpawnOptions;
  readonly deps: ProcessDeps;
  readonly lifecycle: ChildLifecycle;
  /** The child's group, once it has started. */
  group(): ChildGroup | undefined;
  /** Unblocks a child about to be stopped: closes its stdin, releases output backpressure. */
  unblock(): void;
}

/** @internal */
/**
 * Termination of one child: one run at a time through the controller, whose events reach the group (escapees,
 * arming) and the handle's `events$` (one translation, {@link toProcessEvent}).
 */
export class ChildTermination {
  private readonly controller: TerminationController;

  constructor(private readonly host: TerminationHost) {
    const { lifecycle, options } = host;
    this.controller = new TerminationController(
      defer(() => lifecycle.started$.pipe(map(() => this.port()))),
      options.scheduler,
    );
    this.controller.events$.subscribe((event) => this.onEvent(event));
    this.controller.settled$.subscribe((outcome) => this.onSettled(outcome));
  }

  /** True while a run is in progress. */
  get inProgress(): boolean {
    return this.controller.inProgress;
  }

  /**
   * Joins the run in progress, or starts one with `shutdown` (default: the spawn option) for `reason`, which the
   * report and, when the leader exits meanwhile, the `exited` event carry.
   */
  start(shutdown: GracefulShutdown | undefined, reason: StopReason = 'terminated'): TerminationRun {
    const chosen =
      shutdown === undefined ? this.host.options.shutdown : GracefulShutdown.check('shutdown', shutdown);
    this.beforeRun(reason);
    return this.controller.start(chosen, reason);
  }

  /** SIGKILL now: jumps a graceful run to its kill step, or starts a kill-only run with the spawn option's bounds. */
  kill(): TerminationRun {
    const { killTimeoutMs, verifyTimeoutMs, survivors } = this.host.options.shutdown;
    this.beforeRun('terminated');
    return this.controller.kill(GracefulShutdown.killOnly({ killTimeoutMs, verifyTimeoutMs, survivors }));
  }

  private beforeRun(reason: StopReason): void {
    if (this.controller.inProgress) return;
    this.host.lifecycle.stopRequested(reason);
    this.host.lifecycle.setTerminating(true);
    this.host.group()?.terminationStarted();
    this.host.unblock();
  }

  private port() {
    const group = this.host.group();
    // started$ only emits once the group exists.
    if (group === undefined) throw new Error('rxproc internal error: termination port before the spawn');
    const { lifecycle, name, deps } = this.host;
    return createGroupPort(
      group,
      { name, exit$: lifecycle.exit$, exitStatus: () => lifecycle.exitStatus },
      deps.platform,
    );
  }

  private onEvent(event: TerminationEvent): void {
    const { lifecycle } = this.host;
    this.host.group()?.terminationEvent(event);
    const mapped = toProcessEvent(event, lifecycle.pid ?? 0);
    if (mapped !== undefined) lifecycle.emit(mapped);
  }

  private onSettled(outcome: RunOutcome): void {
    const { lifecycle } = this.host;
    this.host.group()?.terminationSettled(outcome);
    if (outcome.kind === 'failed' && outcome.error instanceof TerminationError) {
      lifecycle.emit({ type: 'terminationFailed', error: outcome.error, at: lifecycle.now() });
    }
    lifecycle.setTerminating(false);
  }
}
