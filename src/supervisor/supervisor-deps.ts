import { type ParentSignals, processParentSignals } from '../platform/parent-signals.js';
import { sharedParentExitCleanup } from '../process/parent-exit.js';
import type { ProbeRunner } from './instance-context.js';
import { runProbe$ } from './probes/probe.js';
import { type ServiceSpawner, spawnService } from './service-process.js';

/** @internal */
/** The process-wide services a supervisor uses; the real ones by default, fakes in tests. */
export interface SupervisorDeps {
  readonly spawn: ServiceSpawner;
  readonly probe: ProbeRunner;
  readonly random: () => number;
  readonly parentSignals: ParentSignals;
  /** Whether rxproc's own parent-exit listeners are installed (they are not "the application listening"). */
  readonly cleanupListening: () => boolean;
}

/** @internal */
export function defaultSupervisorDeps(): SupervisorDeps {
  return {
    spawn: spawnService,
    probe: runProbe$,
    random: Math.random,
    parentSignals: processParentSignals(),
    cleanupListening: () => sharedParentExitCleanup().isListening,
  };
}
