/** How each OS starts a child: the one place that chooses the `child_process.spawn` options. */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { SpawnRequest } from './types.js';

/** @internal */
/** The slice of `child_process.spawn` the platform uses; injectable so tests can check the options. */
export type SpawnFunction = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** @internal */
/** The real `child_process.spawn`. */
export const nodeSpawn: SpawnFunction = (command, args, options) => spawn(command, [...args], options);

function baseOptions(request: SpawnRequest): SpawnOptions {
  return { cwd: request.cwd, env: request.env, stdio: [request.stdin, request.stdout, request.stderr] };
}

/** @internal */
/**
 * Unix: `detached: true`, which libuv implements as `setsid()`, so the child leads a new session and group
 * (pgid = sid = pid) and one `kill(-pid)` reaches everything it starts that stays in the group. `unref()` is left
 * to the caller: whether the parent may exit first is a policy of the handle, not of the OS layer.
 */
export function spawnDetached(request: SpawnRequest, spawnFn: SpawnFunction = nodeSpawn): ChildProcess {
  return spawnFn(request.command, request.args, { ...baseOptions(request), detached: true });
}

/** @internal */
/**
 * Windows: never `detached`. There it means a separate console and a process that outlives the parent (it leaves
 * libuv's job object), which is the opposite of what a controller wants. Windows has no process groups to create;
 * the tree is found later by parent links. `windowsHide` stops a console window flashing up for console programs.
 */
export function spawnWindows(request: SpawnRequest, spawnFn: SpawnFunction = nodeSpawn): ChildProcess {
  return spawnFn(request.command, request.args, { ...baseOptions(request), windowsHide: true });
}
