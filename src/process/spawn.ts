import { currentPlatform } from '../platform/index.js';
import { ProcessHandle } from './handle.js';
import type { SpawnOptions } from './options.js';

/**
 * Starts `command` with `args` in a new process group and returns its handle at once. Never throws: a command
 * that cannot start (not found, not executable, bad cwd, bad arguments or options) surfaces as a `spawnFailed`
 * event, an error on `exit$` and a rejected `wait()`, each carrying a typed `SpawnError`.
 */
export function spawn(
  command: string,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): ProcessHandle {
  return new ProcessHandle(command, args, options, currentPlatform());
}
