/**
 * The platform layer's entry point: picks the implementation for the OS this process runs on. Everything else in
 * the library reaches the OS only through the {@link Platform} returned here.
 */
import { createDarwinPlatform } from './darwin.js';
import { createLinuxPlatform } from './linux.js';
import type { Platform } from './types.js';
import { createWindowsPlatform } from './windows.js';

export type * from './types.js';
/** @internal */
export type { CommandResult, CommandRunner, SyncCommandRunner } from './command-runner.js';
/** @internal */
export type { DarwinDeps } from './darwin.js';
/** @internal */
export type { WindowsDeps } from './windows.js';
/** @internal */
export type { SpawnFunction } from './spawn-child.js';

let current: Platform | undefined;

/**
 * The platform for `process.platform`, created once. Other Unix systems (FreeBSD, ...) get the macOS
 * implementation, which only needs `ps` and `kill(2)` process groups.
 */
export function currentPlatform(): Platform {
  current ??= create(process.platform);
  return current;
}

function create(os: NodeJS.Platform): Platform {
  switch (os) {
    case 'linux':
      return createLinuxPlatform();
    case 'win32':
      return createWindowsPlatform();
    default:
      return createDarwinPlatform();
  }
}
