import type { CommandLookup } from '../platform/command-lookup.js';
import type { ParentEnvironment } from '../platform/environment.js';
import { SpawnError, type SpawnErrorCode } from './errors.js';

/** @internal */
/** What the diagnosis needs to know about the attempted spawn. */
export interface SpawnAttempt {
  readonly processName: string;
  readonly command: string;
  readonly args: readonly unknown[];
  readonly cwd: string | undefined;
  readonly env: NodeJS.ProcessEnv | undefined;
}

/** @internal */
/**
 * Checks the inputs Node would reject synchronously or misreport, before asking the OS. Returns the error, or
 * `undefined` when the attempt may go ahead.
 */
export function precheckSpawn(attempt: SpawnAttempt): SpawnError | undefined {
  const { processName, command, args, env } = attempt;
  const invalid = (reason: string): SpawnError => new SpawnError('INVALID_ARGUMENT', processName, reason);
  if (typeof command !== 'string' || command.length === 0) return invalid('the command is empty');
  if (command.includes('\0')) return invalid('the command contains a NUL byte');
  for (const [index, arg] of args.entries()) {
    if (typeof arg !== 'string') return invalid(`argument ${index} is not a string`);
    if (arg.includes('\0')) return invalid(`argument ${index} contains a NUL byte`);
  }
  if (attempt.cwd !== undefined && (typeof attempt.cwd !== 'string' || attempt.cwd.includes('\0'))) {
    return invalid('cwd must be a path string without NUL bytes');
  }
  for (const [key, value] of Object.entries(env ?? {})) {
    if (key.includes('\0') || key.includes('=') || (value !== undefined && String(value).includes('\0'))) {
      return invalid(
        `environment variable ${JSON.stringify(key)} has a NUL byte or '=' in its name or value`,
      );
    }
  }
  return undefined;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** @internal */
/** Where a failed spawn looks for its explanation: the file system and the parent's environment. */
export interface DiagnosisContext {
  readonly lookup: CommandLookup;
  readonly environment: ParentEnvironment;
}

type Diagnosis = { readonly code: SpawnErrorCode; readonly reason: string };

function cwdProblem(cwd: string | undefined, lookup: CommandLookup): Diagnosis | undefined {
  if (cwd === undefined) return undefined;
  switch (lookup.cwdState(cwd)) {
    case 'directory':
      return undefined;
    case 'notDirectory':
      return { code: 'CWD_NOT_DIRECTORY', reason: `cwd ${cwd} is not a directory` };
    case 'missing':
      return { code: 'CWD_NOT_FOUND', reason: `cwd ${cwd} does not exist` };
  }
}

/** Explains an ENOENT: the cwd, the command, or a script's missing interpreter. */
function diagnoseNotFound(attempt: SpawnAttempt, context: DiagnosisContext): Diagnosis {
  const { lookup, environment } = context;
  const cwd = cwdProblem(attempt.cwd, lookup);
  if (cwd !== undefined) return cwd;
  const variables = attempt.env ?? environment.variables();
  const file = lookup.locate(
    attempt.command,
    attempt.cwd ?? environment.cwd(),
    variables.PATH ?? '',
    environment.windows ? (variables.PATHEXT ?? '.COM;.EXE;.BAT;.CMD') : undefined,
  );
  if (file === undefined)
    return { code: 'COMMAND_NOT_FOUND', reason: `command ${attempt.command} not found` };
  const interpreter = lookup.shebangInterpreter(file);
  if (interpreter !== undefined && lookup.isExecutable(file)) {
    return {
      code: 'INTERPRETER_NOT_FOUND',
      reason: `interpreter ${interpreter} of script ${file} not found`,
    };
  }
  return { code: 'COMMAND_NOT_FOUND', reason: `command ${attempt.command} could not be executed as ${file}` };
}

/** @internal */
/** Turns whatever Node threw or emitted for a failed spawn into one typed {@link SpawnError}. */
export function toSpawnError(error: unknown, attempt: SpawnAttempt, context: DiagnosisContext): SpawnError {
  if (error instanceof SpawnError) return error;
  const errno = errnoOf(error);
  const make = (code: SpawnErrorCode, reason: string): SpawnError =>
    new SpawnError(code, attempt.processName, reason, { cause: error, errno });
  switch (errno) {
    case 'ENOENT': {
      const { code, reason } = diagnoseNotFound(attempt, context);
      return make(code, reason);
    }
    case 'ENOTDIR': {
      const cwd = cwdProblem(attempt.cwd, context.lookup);
      return cwd === undefined
        ? make('COMMAND_NOT_FOUND', `a component of the command path ${attempt.command} is not a directory`)
        : make(cwd.code, cwd.reason);
    }
    case 'EACCES':
    case 'EISDIR':
      return make('NOT_EXECUTABLE', `${attempt.command} is not an executable file (permission denied)`);
    case 'E2BIG':
      return make('ARGUMENT_LIST_TOO_LONG', 'the argument list and environment exceed the system limit');
    case 'EMFILE':
    case 'ENFILE':
      return make('TOO_MANY_OPEN_FILES', 'too many open files to create the pipes');
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_ARG_TYPE':
      return make('INVALID_ARGUMENT', error instanceof Error ? error.message : 'invalid argument');
    default:
      return make('UNKNOWN', error instanceof Error ? error.message : String(error));
  }
}
