import type { Observable, SchedulerLike } from 'rxjs';
import type { ProbeContext } from './probes/probe.js';
import type { ProbeProgress } from './probes/probe-progress.js';
import type { ResolvedProbe } from './probes/resolve-probe.js';
import type { ServiceSpawner } from './service-process.js';
import type { OutputLine, SupervisorEvent } from './state-types.js';

/** @internal */
/** An event as an instance reports it: the supervisor adds nothing, the instance fills `service` and `at`. */
export type InstanceEvent = Exclude<SupervisorEvent, { readonly type: 'shutdown' | 'shutdownCompleted' }>;

/** @internal */
export type ProbeRunner = (
  probe: ResolvedProbe,
  context: ProbeContext,
  role: 'readiness' | 'liveness',
) => Observable<ProbeProgress>;

/** @internal */
/** What every instance of a supervisor shares: time, the spawner, the probes, and where to report. */
export interface InstanceContext {
  readonly scheduler: SchedulerLike;
  readonly spawn: ServiceSpawner;
  readonly probe: ProbeRunner;
  readonly random: () => number;
  readonly usageIntervalMs: number | false;
  readonly maxLineLength: number;
  /** True while the supervisor's output consumer asked for backpressure (`pauseOutput()`); replays the current value. */
  readonly outputHeld$: Observable<boolean>;
  /** An event happened (the supervisor records and publishes it). */
  emit(event: InstanceEvent): void;
  /** A line was read. */
  line(line: OutputLine): void;
  /** Something in the instance's state changed (the state stream coalesces). */
  changed(): void;
  /** The instance ended `failed`: the supervisor applies its failure policy. */
  failed(name: string): void;
}
