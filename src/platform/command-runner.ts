/**
 * Running the helper commands (`ps`, `taskkill`) that macOS and Windows need. Behind a function type so that the
 * modules using them are tested with fakes that record the exact command line.
 */
import { execFile, spawnSync } from 'node:child_process';

/** @internal */
/** What a finished command produced. `exitCode` is `null` when it was ended by a signal. */
export interface CommandResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** @internal */
/** Runs a command to completion. Rejects only when it cannot run at all; a non-zero exit is a result. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

/** @internal */
/** The blocking form, for the paths that must stay synchronous (signal sends, the `'exit'` handler). */
export type SyncCommandRunner = (file: string, args: readonly string[]) => CommandResult;

// A fixed locale keeps `ps` dates and error texts in one shape; the large buffer fits a `ps -A` of a busy host.
const commandEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: 'C' });
const MAX_OUTPUT = 64 * 1024 * 1024;

/** @internal */
/** The production {@link CommandRunner}, on `execFile` (no shell, so arguments are never re-parsed). */
export const runCommand: CommandRunner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { env: commandEnv(), maxBuffer: MAX_OUTPUT, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ exitCode: 0, stdout, stderr });
        } else if (typeof error.code === 'number') {
          resolve({ exitCode: error.code, stdout, stderr });
        } else if (typeof error.code !== 'string' && typeof error.signal === 'string') {
          // Ended by a signal; a string code (ENOENT, maxBuffer exceeded) means it never ran or was cut off.
          resolve({ exitCode: null, stdout, stderr });
        } else {
          reject(error);
        }
      },
    );
  });

/** @internal */
/** The production {@link SyncCommandRunner}, on `spawnSync`. Throws only when the command cannot run at all. */
export const runCommandSync: SyncCommandRunner = (file, args) => {
  const result = spawnSync(file, [...args], {
    env: commandEnv(),
    maxBuffer: MAX_OUTPUT,
    windowsHide: true,
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw result.error;
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
};
