import type { ChildProcess } from 'node:child_process';
import type { CommandLookup } from '../platform/command-lookup.js';
import type { ParentEnvironment } from '../platform/environment.js';
import type { Platform } from '../platform/types.js';
import { SpawnError } from './errors.js';
import { MARKER_VARIABLE, newMarkerToken } from './marker.js';
import { autoName } from './naming.js';
import { preferLocalPath, programOf, shellInvocation, withCommandLineHint } from './command-line.js';
import { resolveSpawnOptions, type ResolvedSpawnOptions, stdioFor } from './options.js';
import { type SpawnAttempt, precheckSpawn, toSpawnError } from './spawn-failure.js';

/** @internal */
/** The process-wide services a spawn uses; the real ones by default, fakes in tests. */
export interface StartDeps {
  readonly platform: Platform;
  readonly lookup: CommandLookup;
  readonly environment: ParentEnvironment;
}

/** @internal */
/**
 * How a start went: the OS was asked (`spawned`: the child's `'spawn'` or `'error'` event follows), or the start
 * was refused with a typed error before or while asking. Either way the options are resolved, so the handle can
 * build its streams and name; a refusal for bad options carries the defaults.
 */
export type ChildStart =
  | {
      readonly kind: 'spawned';
      readonly name: string;
      readonly options: ResolvedSpawnOptions;
      readonly child: ChildProcess;
      /** The child's marker token, unless started without one. */
      readonly markerToken: string | undefined;
      /** Explains a later `'error'` event of the child as a typed error. */
      readonly diagnose: (error: unknown) => SpawnError;
    }
  | {
      readonly kind: 'refused';
      readonly name: string;
      readonly options: ResolvedSpawnOptions;
      readonly error: SpawnError;
    };

/** @internal */
/**
 * Starts a child, top to bottom: resolve the options once; refuse bad input (options, arguments, an already
 * aborted signal, what Node would reject or misreport) with a typed error; ask the platform to spawn, turning a
 * synchronous throw into the same typed error. Never throws.
 */
export function startChild(command: unknown, args: unknown, options: unknown, deps: StartDeps): ChildStart {
  const { environment } = deps;
  let resolved: ResolvedSpawnOptions;
  let optionError: unknown;
  try {
    resolved = resolveSpawnOptions(options, environment);
  } catch (error) {
    optionError = error;
    resolved = resolveSpawnOptions({}, environment);
  }
  const safeCommand = typeof command === 'string' ? command : '';
  const safeArgs = Array.isArray(args) ? (args as unknown[]) : [];
  const name =
    resolved.name ??
    autoName(programOf(safeCommand), safeArgs.map(String), resolved.env, resolved.cwd, resolved.nameIncludes);
  const refuse = (error: SpawnError): ChildStart => ({ kind: 'refused', name, options: resolved, error });

  if (optionError !== undefined) {
    return refuse(
      new SpawnError('INVALID_OPTION', name, (optionError as Error).message, { cause: optionError }),
    );
  }
  if (args !== undefined && !Array.isArray(args)) {
    return refuse(
      new SpawnError('INVALID_OPTION', name, `args must be an array of strings, not ${typeof args}`),
    );
  }
  if (resolved.signal?.aborted === true) {
    return refuse(
      new SpawnError('ABORTED', name, 'its AbortSignal was already aborted', {
        cause: resolved.signal.reason,
      }),
    );
  }
  const invocation =
    resolved.shell === undefined
      ? { command: safeCommand, args: safeArgs }
      : shellInvocation(resolved.shell, safeCommand, safeArgs.map(String));
  const baseEnv = resolved.preferLocal
    ? preferLocalPath(
        resolved.env ?? environment.variables(),
        resolved.cwd ?? environment.cwd(),
        environment.windows,
      )
    : resolved.env;
  const attempt: SpawnAttempt = {
    processName: name,
    command: invocation.command,
    args: invocation.args,
    cwd: resolved.cwd,
    env: baseEnv,
  };
  // The caller's own command and arguments first: a shell line built from a bad argument would hide it. Without a
  // shell they are what is spawned, so one check covers both (the environment is not walked twice).
  const invalid =
    resolved.shell === undefined
      ? precheckSpawn(attempt)
      : (precheckSpawn({ ...attempt, command: safeCommand, args: safeArgs }) ?? precheckSpawn(attempt));
  if (invalid !== undefined) return refuse(invalid);

  const context = { lookup: deps.lookup, environment };
  const explain = (error: unknown): SpawnError =>
    withCommandLineHint(toSpawnError(error, attempt, context), safeCommand, resolved.shell);
  const markerToken = resolved.marker ? newMarkerToken() : undefined;
  const env =
    markerToken === undefined
      ? baseEnv
      : { ...(baseEnv ?? environment.variables()), [MARKER_VARIABLE]: markerToken };
  let child: ChildProcess;
  try {
    child = deps.platform.spawnChild({
      command: invocation.command,
      args: invocation.args as string[],
      cwd: resolved.cwd,
      env,
      stdin: resolved.stdin,
      stdout: stdioFor(resolved.stdout),
      stderr: stdioFor(resolved.stderr),
    });
  } catch (error) {
    return refuse(explain(error));
  }
  return {
    kind: 'spawned',
    name,
    options: resolved,
    child,
    markerToken,
    diagnose: explain,
  };
}
