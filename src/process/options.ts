import type { SchedulerLike } from 'rxjs';
import { InvalidOptionError } from '../core/errors.js';
import { schedulerOption } from '../core/scheduler-option.js';
import { validateDuration } from '../core/durations.js';
import { validatePositiveInteger } from '../core/sizes.js';
import { type ParentEnvironment, processEnvironment } from '../platform/environment.js';
import type { StdioMode } from '../platform/types.js';
import type { NameParts } from './naming.js';
import { type ParentSignalPolicy, parentSignalPolicyOption } from './parent-signal-policy.js';
import { type OutputMode, type OutputStreamOptions, resolveOutputStreamOptions } from '../streams/options.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';

/** Options of {@link spawn}. Every field is optional and validated when `spawn()` is called. */
export interface SpawnOptions {
  /** Name used in events and errors. Default: the program's basename only. */
  readonly name?: string;
  /** Opt in to arguments, environment or cwd in the automatic name (they may hold secrets). */
  readonly nameIncludes?: NameParts;
  /** Working directory of the child. */
  readonly cwd?: string;
  /** Environment variables for the child, added to the parent's unless `extendEnv` is false. */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether `env` extends the parent's environment (default `true`) or replaces it. */
  readonly extendEnv?: boolean;
  /**
   * The child's stdin. Default `'ignore'`: the child reads end-of-file at once and never blocks waiting for
   * input. Use `'pipe'` to write to it through `proc.stdin`.
   */
  readonly stdin?: StdioMode;
  /**
   * stdout as an {@link OutputStream}: replay, line cap, delivery, buffer depth, or a mode (`'pipe'`, the
   * default; `'discard'`; `'inherit'`). A piped stream is always drained, so a chatty child never blocks, unless
   * a `reliable` pull consumer is attached and behind.
   */
  readonly stdout?: OutputStreamOptions | OutputMode;
  /** stderr, like `stdout`. */
  readonly stderr?: OutputStreamOptions | OutputMode;
  /**
   * How long output may stay open after the leader exited (a grandchild can hold the pipe forever) before it is
   * closed by force and `events$` completes. Default 3000 ms; `null` waits for the real end of output.
   */
  readonly eofTimeoutMs?: number | null;
  /** How many recent events `events$` replays to late subscribers, besides the first. Default 256. */
  readonly eventReplay?: number;
  /** Kill the child's group if this process exits or dies by a signal while the child is armed. Default `true`. */
  readonly cleanupOnParentExit?: boolean;
  /**
   * What an armed child gets when this process receives SIGINT, SIGTERM or SIGHUP: see {@link ParentSignalPolicy}.
   * Default `'auto'`: forwarded once when the application handles the signal itself, otherwise a graceful
   * `shutdown` before this process ends with the signal.
   */
  readonly parentSignals?: ParentSignalPolicy;
  /** Scheduler for every timer and timestamp; a `TestScheduler` makes time virtual. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * How `terminate()` without an argument, `await using`, `spawn$` unsubscription and an aborted `signal` stop
   * the child. Default {@link GracefulShutdown.default}: SIGINT 2 s, SIGTERM 3 s, SIGKILL 3 s.
   */
  readonly shutdown?: GracefulShutdown;
  /** Aborting it terminates the child with `shutdown`; if already aborted, nothing is spawned (`ABORTED`). */
  readonly signal?: AbortSignal;
  /**
   * Start the child with the `RXPROC_TREE` environment variable, a token unique to this handle that descendants
   * inherit, so termination and usage also find escapees that left the group (double-forked daemons, `setsid`).
   * Default `true`; `false` starts the child with exactly the environment given.
   */
  readonly marker?: boolean;
  /**
   * Run `command` through a shell: `true` means `/bin/sh -c` (`cmd.exe /d /s /c` on Windows), a string names the
   * shell. The command and the arguments are joined with spaces into one command line, unquoted, so pipes,
   * globs and `&&` work — and so does injection: never put untrusted input into a shell command line. Default
   * `false`: the command is a program, and the arguments reach it as they are.
   */
  readonly shell?: boolean | string;
  /**
   * Prepend every `node_modules/.bin` from the working directory up to the root to `PATH`, nearest first, so the
   * tools of the local project are found before global ones (like `npx` would). Default `false`.
   */
  readonly preferLocal?: boolean;
}

/** @internal */
/** {@link SpawnOptions} after validation, with defaults applied. */
export interface ResolvedSpawnOptions {
  readonly name: string | undefined;
  readonly nameIncludes: NameParts;
  readonly cwd: string | undefined;
  readonly env: NodeJS.ProcessEnv | undefined;
  readonly stdin: StdioMode;
  readonly stdout: CheckedOutputOptions;
  readonly stderr: CheckedOutputOptions;
  readonly eofTimeoutMs: number | null;
  readonly eventReplay: number;
  readonly cleanupOnParentExit: boolean;
  readonly parentSignals: ParentSignalPolicy;
  readonly scheduler: SchedulerLike;
  readonly shutdown: GracefulShutdown;
  readonly signal: AbortSignal | undefined;
  readonly marker: boolean;
  /** The shell to run the command line with, or `undefined` to run the program directly. */
  readonly shell: string | undefined;
  readonly preferLocal: boolean;
}

/** @internal */
export const DEFAULT_EOF_TIMEOUT_MS = 3000;
/** @internal */
export const DEFAULT_EVENT_REPLAY = 256;

const stdioModes: readonly string[] = ['pipe', 'ignore', 'inherit'];

function stdioMode(option: string, value: unknown, fallback: StdioMode): StdioMode {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !stdioModes.includes(value)) {
    throw new InvalidOptionError(option, value, "'pipe', 'ignore' or 'inherit'");
  }
  return value as StdioMode;
}

/** @internal */
/** Output options already validated (so the stream's constructor cannot throw), with the mode they resolve to. */
export interface CheckedOutputOptions {
  readonly options: OutputStreamOptions;
  readonly mode: OutputMode;
}

function outputOption(name: string, value: unknown): CheckedOutputOptions {
  const options = typeof value === 'string' ? { mode: value as OutputMode } : (value as OutputStreamOptions);
  return { options, mode: resolveOutputStreamOptions(options, name).mode };
}

/** @internal */
/** How the platform should wire an output slot for a stream mode. */
export function stdioFor(output: CheckedOutputOptions): StdioMode {
  return output.mode === 'discard' ? 'ignore' : output.mode;
}

function optionalBoolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, value, 'a boolean');
  return value;
}

function shutdownOption(value: unknown): GracefulShutdown {
  return value === undefined ? GracefulShutdown.default() : GracefulShutdown.check('shutdown', value);
}

function abortSignalOption(value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new InvalidOptionError('signal', value, 'an AbortSignal');
}

/** @internal */
/**
 * Validates spawn options and applies defaults. `options` is checked as given (`null`, a string or any other
 * non-object is an invalid option too), and the inherited environment is read from `environment`.
 * @throws {@link InvalidOptionError} for the first invalid option.
 */
export function resolveSpawnOptions(
  given: unknown,
  environment: ParentEnvironment = processEnvironment,
): ResolvedSpawnOptions {
  if (given === undefined) given = {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new InvalidOptionError('options', given, 'an options object or undefined');
  }
  const options = given as SpawnOptions;
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
    throw new InvalidOptionError('name', options.name, 'a non-empty string');
  }
  const extendEnv = optionalBoolean('extendEnv', options.extendEnv, true);
  if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null)) {
    throw new InvalidOptionError('env', options.env, 'an object of strings');
  }
  const env =
    options.env === undefined
      ? undefined
      : extendEnv
        ? { ...environment.variables(), ...options.env }
        : options.env;
  return {
    name: options.name,
    nameIncludes: nameIncludesOption(options.nameIncludes),
    cwd: options.cwd,
    env,
    stdin: stdioMode('stdin', options.stdin, 'ignore'),
    stdout: outputOption('stdout', options.stdout),
    stderr: outputOption('stderr', options.stderr),
    eofTimeoutMs:
      options.eofTimeoutMs === null
        ? null
        : validateDuration('eofTimeoutMs', options.eofTimeoutMs ?? DEFAULT_EOF_TIMEOUT_MS),
    eventReplay: validatePositiveInteger('eventReplay', options.eventReplay ?? DEFAULT_EVENT_REPLAY),
    cleanupOnParentExit: optionalBoolean('cleanupOnParentExit', options.cleanupOnParentExit, true),
    parentSignals: parentSignalPolicyOption(options.parentSignals),
    scheduler: schedulerOption('scheduler', options.scheduler),
    shutdown: shutdownOption(options.shutdown),
    signal: abortSignalOption(options.signal),
    marker: optionalBoolean('marker', options.marker, true),
    shell: shellOption(options.shell, environment.windows),
    preferLocal: optionalBoolean('preferLocal', options.preferLocal, false),
  };
}

function shellOption(value: unknown, windows: boolean): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return windows ? 'cmd.exe' : '/bin/sh';
  if (typeof value === 'string' && value.length > 0 && !value.includes('\0')) return value;
  throw new InvalidOptionError('shell', value, 'a boolean or the path of a shell');
}

function nameIncludesOption(value: unknown): NameParts {
  if (value === undefined) return {};
  if (typeof value === 'object' && value !== null) {
    const parts = value as Record<string, unknown>;
    const valid = Object.entries(parts).every(
      ([key, flag]) =>
        ['args', 'env', 'cwd'].includes(key) && (flag === undefined || typeof flag === 'boolean'),
    );
    if (valid) return parts as NameParts;
  }
  throw new InvalidOptionError('nameIncludes', value, '{ args?, env?, cwd? } with boolean values');
}
