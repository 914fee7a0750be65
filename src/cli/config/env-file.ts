/** Dotenv files: Node's own parser (`util.parseEnv`) plus the `${VAR}` expansion it lacks. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { KeyPath, RawProblem } from './types.js';

/** Variables to expand against, besides the file's own earlier lines. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads `env_file` (one name or a list), relative to `dir`, later files overriding earlier ones. A file that cannot
 * be read becomes a problem at its entry. `${VAR}` and `${VAR:-default}` expand from variables defined earlier
 * (in this file or an earlier one), then `outer`; an unset variable expands to the empty string, as in a shell.
 * There is no escape for a literal `${` and single quotes do not stop expansion (`parseEnv` does not say how a
 * value was quoted).
 */
export function readEnvFiles(
  value: string | readonly string[] | undefined,
  dir: string,
  path: KeyPath,
  outer: Environment,
  problems: RawProblem[],
): Record<string, string> {
  if (value === undefined) return {};
  const names = typeof value === 'string' ? [value] : value;
  const env: Record<string, string> = {};
  names.forEach((name, i) => {
    const file = resolve(dir, name);
    const entryPath = typeof value === 'string' ? path : [...path, i];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      problems.push({ path: entryPath, message: `cannot read env file ${file} (${code})` });
      return;
    }
    for (const [key, raw] of Object.entries(parseEnv(text))) {
      if (raw !== undefined) env[key] = expand(raw, (v) => env[v] ?? outer[v]);
    }
  });
  return env;
}

/** `${NAME}` and `${NAME:-default}` (default when unset or empty), nothing fancier. */
export function expand(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_, name: string, fallback?: string) => {
      const found = lookup(name);
      return found === undefined || found === '' ? (fallback ?? '') : found;
    },
  );
}
