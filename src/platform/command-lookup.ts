/**
 * Finding the file the OS would execute for a command, and what is wrong with it, so a failed spawn can be
 * explained ("interpreter not found" rather than Node's bare `ENOENT`). Only asked after a spawn failed, or
 * before one to refuse input Node would misreport, so none of it sits on the spawn path's hot side.
 */
import { accessSync, closeSync, constants as fsConstants, openSync, readSync, statSync } from 'node:fs';
import { delimiter, extname, isAbsolute, join, resolve } from 'node:path';

/** @internal */
/** What a cwd is, as far as spawning is concerned. */
export type CwdState = 'directory' | 'notDirectory' | 'missing';

/** @internal */
/** The file-system questions a spawn diagnosis asks; injectable so tests need no real files. */
export interface CommandLookup {
  /** Whether `cwd` exists and is a directory. */
  cwdState(cwd: string): CwdState;
  /**
   * The file `command` resolves to, as execvp does (a name with a separator is taken as a path, anything else is
   * searched on `PATH`, with `PATHEXT` on Windows), relative to `cwd`; `undefined` when nothing matches.
   */
  locate(command: string, cwd: string, path: string, pathExt: string | undefined): string | undefined;
  /** The interpreter named by a script's `#!` line, if the file starts with one. */
  shebangInterpreter(file: string): string | undefined;
  /** Whether the file may be executed by this process. */
  isExecutable(file: string): boolean;
}

/** @internal */
/** The real file system. */
export const fileSystemLookup: CommandLookup = {
  cwdState(cwd) {
    try {
      return statSync(cwd).isDirectory() ? 'directory' : 'notDirectory';
    } catch {
      return 'missing';
    }
  },

  locate(command, cwd, path, pathExt) {
    if (command.includes('/') || (process.platform === 'win32' && command.includes('\\'))) {
      return isAbsolute(command) ? command : resolve(cwd, command);
    }
    // Windows finds `npm` as `npm.cmd`: try the name as given, then with each PATHEXT suffix it lacks.
    const suffixes = pathExt === undefined || extname(command) !== '' ? [''] : ['', ...pathExt.split(';')];
    for (const dir of path.split(delimiter)) {
      for (const suffix of suffixes) {
        const candidate = resolve(cwd, join(dir === '' ? '.' : dir, command + suffix));
        if (isFile(candidate)) return candidate;
      }
    }
    return undefined;
  },

  shebangInterpreter(file) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const head = Buffer.alloc(256);
      const length = readSync(fd, head, 0, head.length, 0);
      const text = head.subarray(0, length).toString('latin1');
      if (!text.startsWith('#!')) return undefined;
      return text.slice(2).split('\n')[0]?.trim().split(/\s+/)[0];
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },

  isExecutable(file) {
    try {
      accessSync(file, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
