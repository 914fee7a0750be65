import { fileSystemLookup } from '../platform/command-lookup.js';
import { processEnvironment } from '../platform/environment.js';
import { currentPlatform } from '../platform/index.js';
import { type ParentExitCleanup, sharedParentExitCleanup } from './parent-exit.js';
import type { StartDeps } from './start-child.js';

/** @internal */
/**
 * Every process-wide service a handle uses. `spawn()` passes the real ones; tests build handles over fakes (a fake
 * platform, a private cleanup registry) so no real process or process-level listener is involved.
 */
export interface ProcessDeps extends StartDeps {
  readonly cleanup: ParentExitCleanup;
}

let defaults: ProcessDeps | undefined;

/** @internal */
/** The real services, created once on first use. */
export function defaultProcessDeps(): ProcessDeps {
  defaults ??= {
    platform: currentPlatform(),
    lookup: fileSystemLookup,
    environment: processEnvironment,
    cleanup: sharedParentExitCleanup(),
  };
  return defaults;
}
