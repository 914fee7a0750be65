import type { SupervisorConfig } from '../../index.js';

/**
 * One thing wrong with a config, placed where the user can find it: `line` and `col` are 1-based and point at the
 * offending key or value (for a missing key, at the mapping that should hold it).
 */
export interface ConfigProblem {
  /** The file the problem is in (absolute), or a pseudo-file such as `--names` for command-line input. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path of the key, e.g. `processes.api.ready.tcp`; list items as `[0]`. Empty for the whole file. */
  readonly path: string;
  /** What was expected, e.g. `expected a duration such as 500ms, 2s or 1m, got "fast"`. */
  readonly message: string;
}

/** A config turned into what the supervisor runs, plus what only the CLI needs. */
export interface LoadedProject {
  /** The config file (absolute); `undefined` for ad-hoc commands. */
  readonly file: string | undefined;
  /** Relative paths (`cwd`, `env_file`) were resolved against this directory. */
  readonly dir: string;
  /** The project name: `name:` from the file, else the directory's base name. */
  readonly name: string;
  readonly config: SupervisorConfig;
  /** Processes whose end ends the whole run (`exit_on_end: true`). */
  readonly exitOnEnd: ReadonlySet<string>;
  readonly source: 'yaml' | 'procfile' | 'adhoc';
}

/** Either a project or every problem found (never both, never an empty problem list). */
export type ConfigResult =
  | { readonly ok: true; readonly project: LoadedProject }
  | { readonly ok: false; readonly errors: readonly ConfigProblem[] };

/** Renders a problem the way compilers do, so terminals and editors can jump to it: `file:line:col: path: message`. */
export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  return p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}

/** A key path as zod and the YAML walker see it. */
export type KeyPath = readonly (string | number)[];

/** A problem before it is placed in the file: the loader turns `path` into a line and column. */
export interface RawProblem {
  readonly path: KeyPath;
  readonly message: string;
  /** Point at the key itself rather than its value (unknown keys, names). Default: the value. */
  readonly at?: 'key' | 'value';
}

/** `processes.api.stop.phases[0]` from `['processes', 'api', 'stop', 'phases', 0]`. */
export function pathToString(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}
