import { type Observable, defer, filter, map, merge } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { ProcessEvent } from '../process/events.js';
import type { ProcessHandle } from '../process/handle.js';
import { spawn } from '../process/spawn.js';
import type { TerminationReport } from '../termination/types.js';
import type { GracefulShutdown } from '../termination/graceful-shutdown.js';
import type { ServiceLine } from './probes/log-probe.js';
import type { ResolvedInstance } from './resolve-config.js';
import type { ServiceUsage } from './state-types.js';

/** @internal */
/** What the supervisor asks to be started for one run of an instance: its resolved command and how to stop it. */
export type ServiceLaunch = Pick<
  ResolvedInstance,
  'name' | 'command' | 'args' | 'shell' | 'cwd' | 'env' | 'preferLocal' | 'shutdown'
> & {
  /** Lines longer than this are cut by the stream; the supervisor marks them. */
  readonly maxLineLength: number;
};

/** @internal */
/**
 * One run of a service, as the supervisor needs it: the port between the supervisor and `spawn()`, so the
 * supervisor's logic is tested with a fake in virtual time.
 */
export interface ServiceProcess {
  readonly pid: number | undefined;
  /** The handle's events; completes after the exit and the end of output. */
  readonly events$: Observable<ProcessEvent>;
  /** The exit status once; errors with the `SpawnError` when the spawn failed. */
  readonly exit$: Observable<ExitStatus>;
  /** Both streams' lines; replays the lines still in the streams' replay to each new subscriber. */
  readonly lines$: Observable<ServiceLine>;
  /** Runs `shutdown` (joining a run in progress); errors with a `TerminationError`. */
  terminate(shutdown: GracefulShutdown): Observable<TerminationReport>;
  /** SIGKILL to the group now (cutting a graceful run short), then verification. */
  kill(): Observable<TerminationReport>;
  /** Stops reading both pipes until the returned function is called (see `OutputStream.holdBack`). */
  holdOutput(): () => void;
  /** Usage of the whole tree every `intervalMs`, from the shared process table. */
  usage$(intervalMs: number): Observable<ServiceUsage>;
}

/** @internal */
export type ServiceSpawner = (launch: ServiceLaunch) => ServiceProcess;

/** @internal */
/** The real spawner: a {@link ProcessHandle} per run. */
export function spawnService(launch: ServiceLaunch): ServiceProcess {
  const stream = { maxLineLength: launch.maxLineLength, lineOverflow: 'truncate' as const };
  const handle = spawn(launch.command, launch.args, {
    name: launch.name,
    cwd: launch.cwd,
    env: launch.env,
    shell: launch.shell === false ? undefined : launch.shell,
    preferLocal: launch.preferLocal,
    shutdown: launch.shutdown,
    // The supervisor stops its services in order on a parent signal; a per-child reaction would undo the order.
    parentSignals: 'none',
    stdout: stream,
    stderr: stream,
  });
  return handleProcess(handle);
}

function handleProcess(handle: ProcessHandle): ServiceProcess {
  return {
    get pid() {
      return handle.pid;
    },
    events$: handle.events$,
    exit$: handle.exit$,
    lines$: merge(
      handle.stdout.lines$.pipe(map((line): ServiceLine => ({ stream: 'stdout', line }))),
      handle.stderr.lines$.pipe(map((line): ServiceLine => ({ stream: 'stderr', line }))),
    ),
    terminate: (shutdown) => defer(() => handle.terminate(shutdown)),
    holdOutput: () => {
      const releases = [handle.stdout.holdBack(), handle.stderr.holdBack()];
      return () => releases.forEach((release) => release());
    },
    kill: () => defer(() => handle.kill()),
    usage$: (intervalMs) =>
      handle.usage$(intervalMs).pipe(
        filter((usage) => usage.tree.processes > 0),
        map((usage) => ({
          cpuPercent: usage.tree.cpuPercent,
          rssBytes: usage.tree.rssBytes,
          processes: usage.tree.processes,
        })),
      ),
  };
}
