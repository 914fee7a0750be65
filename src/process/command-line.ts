import { basename, dirname, join, resolve } from 'node:path';
import { SpawnError } from './errors.js';

/** @internal */
/** What is actually spawned once `shell` has been applied. */
export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
}

/** @internal */
/**
 * Wraps a command and its arguments for `shell`: one command line, joined with spaces and not quoted, because the
 * point of a shell is that the caller writes shell syntax (pipes, globs, `&&`). `cmd.exe` gets `/d /s /c` (no
 * AutoRun, keep the quotes) like Node's own `shell` option.
 */
export function shellInvocation(shell: string, command: string, args: readonly string[]): Invocation {
  const line = [command, ...args].join(' ');
  const isCmd = /^cmd(\.exe)?$/i.test(basename(shell.replaceAll('\\', '/')));
  return isCmd
    ? { command: shell, args: ['/d', '/s', '/c', `"${line}"`] }
    : { command: shell, args: ['-c', line] };
}

/** @internal */
/** Every `node_modules/.bin` from `cwd` up to the root, nearest first. */
export function localBinDirectories(cwd: string): string[] {
  const directories: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    directories.push(join(dir, 'node_modules', '.bin'));
    if (dirname(dir) === dir) return directories;
  }
}

/** @internal */
/**
 * The environment with the local `node_modules/.bin` directories in front of `PATH`. The variable keeps the
 * spelling it already has (`Path` on Windows), so the child does not end up with two of them.
 */
export function preferLocalPath(env: NodeJS.ProcessEnv, cwd: string, windows: boolean): NodeJS.ProcessEnv {
  const key = Object.keys(env).find((name) => (windows ? name.toUpperCase() === 'PATH' : name === 'PATH'));
  const current = key === undefined ? undefined : env[key];
  const separator = windows ? ';' : ':';
  const entries = [
    ...localBinDirectories(cwd),
    ...(current === undefined || current === '' ? [] : [current]),
  ];
  return { ...env, [key ?? 'PATH']: entries.join(separator) };
}

/** @internal */
/**
 * `spawn('ls -la /tmp')` looks for a program called `ls -la /tmp`. When such a command was not found, the reason
 * says what was probably meant, instead of leaving the caller with a bare "not found".
 */
export function withCommandLineHint(
  error: SpawnError,
  command: string,
  shell: string | undefined,
): SpawnError {
  const words = command.trim().split(/\s+/);
  if (error.code !== 'COMMAND_NOT_FOUND' || shell !== undefined || words.length < 2) return error;
  const quote = (word: string): string => `'${word.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  const [program, ...rest] = words as [string, ...string[]];
  const hint = `did you mean spawn(${quote(program)}, [${rest.map(quote).join(', ')}]) or shell: true?`;
  return new SpawnError(error.code, error.processName, `${error.reason}; ${hint}`, {
    cause: error.cause,
    errno: error.errno,
  });
}

/** @internal */
/**
 * The program part of a command for its automatic name. A command with whitespace and no path separator before
 * it (`ls -la /tmp`, a shell command line) is named after its first word, not after the basename of the whole
 * string (`tmp`); a path with spaces (`/opt/My App/tool`) keeps its basename.
 */
export function programOf(command: string): string {
  const space = command.search(/\s/);
  if (space <= 0) return command;
  const head = command.slice(0, space);
  return head.includes('/') || head.includes('\\') ? command : head;
}
