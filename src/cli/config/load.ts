/** Finding, reading and checking a config file: the one entry point `rxproc up` and `rxproc config` call. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { type Environment } from './env-file.js';
import { dependencyProblems } from './graph.js';
import { problemsFromIssues } from './issues.js';
import { placeProblem, yamlProblems } from './locate.js';
import { parseProcfile } from './procfile.js';
import { configSchema } from './schema.js';
import { toSupervisorConfig } from './to-supervisor.js';
import { supervisorProblem } from './supervisor-check.js';
import type { ConfigProblem, ConfigResult, RawProblem } from './types.js';

/** Looked for in this order when no file is named. */
export const CONFIG_FILE_NAMES = ['rxproc.yaml', 'rxproc.yml', 'Procfile'] as const;

/** Where {@link loadConfig} looks and what `${VAR}` in env files expands against. */
export interface LoadConfigOptions {
  /** A config file, relative to `cwd`; without it, the first of {@link CONFIG_FILE_NAMES} found in `cwd`. */
  readonly file?: string;
  readonly cwd: string;
  /** Variables env files may refer to (after their own). Default `process.env`. */
  readonly environment?: Environment;
}

/**
 * Loads a project: finds the file, parses YAML (or a Procfile, by its name), checks it against the schema, reads
 * env files, checks dependencies and converts everything into a `SupervisorConfig`. Never throws for a bad
 * config: every problem found comes back placed at its line and column. Checks run in stages, each only when
 * the previous one passed: YAML syntax and duplicate keys, then the schema, then env files, signals and
 * dependencies.
 */
export function loadConfig(options: LoadConfigOptions): ConfigResult {
  const cwd = resolve(options.cwd);
  const file = options.file === undefined ? findConfig(cwd) : resolve(cwd, options.file);
  if (file === undefined) {
    const message = `no config found: expected one of ${CONFIG_FILE_NAMES.join(', ')} (or pass --file)`;
    return { ok: false, errors: [{ file: cwd, line: 1, col: 1, path: '', message }] };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return {
      ok: false,
      errors: [{ file, line: 1, col: 1, path: '', message: `cannot read the file (${code})` }],
    };
  }
  if (/^Procfile(\..*)?$/.test(basename(file))) return parseProcfile(text, file);
  return loadYaml(text, file, options.environment ?? process.env);
}

/** Drops top-level `x-…` keys: a home for YAML anchors, as in docker-compose. */
function withoutExtensions(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('x-')));
}

function findConfig(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path));
}

/** The YAML path of {@link loadConfig}, also usable on text that did not come from disk. */
export function loadYaml(text: string, file: string, environment: Environment): ConfigResult {
  const lineCounter = new LineCounter();
  // merge: `<<: *base` shares settings between processes; uniqueKeys (the default) makes duplicates errors.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const syntax = yamlProblems(doc, lineCounter, file, text);
  if (syntax.length > 0) return { ok: false, errors: syntax };

  // In file order, as a reader fixes them; zod reports in schema order.
  const place = (problems: readonly RawProblem[]): ConfigProblem[] =>
    problems
      .map((p) => placeProblem(p, doc, lineCounter, file))
      .sort((a, b) => a.line - b.line || a.col - b.col);
  const input = withoutExtensions(doc.toJS());
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: place(problemsFromIssues(configSchema, input, parsed.error.issues)) };
  }

  const dir = dirname(file);
  const problems: RawProblem[] = dependencyProblems(parsed.data.processes);
  const { config, exitOnEnd } = toSupervisorConfig(parsed.data, dir, environment, problems);
  if (problems.length > 0) return { ok: false, errors: place(problems) };
  // What only the supervisor knows (a condition that can never be met, a probe kind a role refuses), placed too.
  const late = supervisorProblem(config);
  if (late !== undefined) return { ok: false, errors: place([late]) };
  const name = parsed.data.name ?? basename(dir);
  return { ok: true, project: { file, dir, name, config, exitOnEnd, source: 'yaml' } };
}
