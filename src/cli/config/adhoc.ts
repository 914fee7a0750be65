/** Projects from the command line: `rxproc up -- "npm run dev" "tsc -w"`, like concurrently. */
import { basename } from 'node:path';
import type { ServiceConfig } from '../../index.js';
import { NAME_PATTERN } from './schema.js';
import type { ConfigProblem, ConfigResult } from './types.js';

/** `npm:dev` means `npm run dev`, as in concurrently; the same for these runners. */
const RUNNER_SHORTHAND = /^(npm|pnpm|yarn|bun):(\S+)$/;

/**
 * One process per command, each run by `/bin/sh -c` in the current directory. Names come from `names` (from
 * `--names a,b`) in order; commands without one get a derived name: the script of `npm:dev` (`dev`), else the
 * program's base name (`tsc -w` → `tsc`), with `-2`, `-3`… added to repeats. A bad or repeated given name is a
 * problem placed in the `--names` text (line 1, column of the name).
 */
export function adhocProject(commands: readonly string[], names: readonly string[] = []): ConfigResult {
  const errors: ConfigProblem[] = [];
  if (commands.length === 0) {
    errors.push({ file: '--', line: 1, col: 1, path: '', message: 'expected at least one command' });
  }
  if (names.length > commands.length) {
    const col = names.slice(0, commands.length).join(',').length + 2;
    errors.push({
      file: '--names',
      line: 1,
      col,
      path: '',
      message: `expected at most ${commands.length} names`,
    });
  }
  const seen = new Set<string>();
  let col = 1;
  names.slice(0, commands.length).forEach((name) => {
    if (!NAME_PATTERN.test(name)) {
      errors.push({
        file: '--names',
        line: 1,
        col,
        path: name,
        message: 'expected letters, digits, "_", "-" or ":"',
      });
    } else if (seen.has(name)) {
      errors.push({ file: '--names', line: 1, col, path: name, message: `duplicate name "${name}"` });
    }
    seen.add(name);
    col += name.length + 1;
  });
  if (errors.length > 0) return { ok: false, errors };

  const result: Record<string, ServiceConfig> = {};
  const taken = new Set(names);
  commands.forEach((raw, i) => {
    const shorthand = RUNNER_SHORTHAND.exec(raw.trim());
    const command = shorthand ? `${shorthand[1]} run ${shorthand[2]}` : raw;
    const name = names[i] ?? unique(shorthand ? shorthand[2]! : programName(raw), taken);
    taken.add(name);
    result[name] = { command, shell: true };
  });
  const dir = process.cwd();
  return {
    ok: true,
    project: {
      file: undefined,
      dir,
      name: basename(dir),
      config: { services: result },
      exitOnEnd: new Set(),
      source: 'adhoc',
    },
  };
}

/** The first word's base name, cut to the characters names allow: `./node_modules/.bin/tsc -w` → `tsc`. */
function programName(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? '';
  const base = first.slice(first.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9_:-]/g, '');
  return base === '' ? 'cmd' : base;
}

function unique(base: string, taken: ReadonlySet<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_:-]/g, '-');
  if (!taken.has(clean)) return clean;
  let n = 2;
  while (taken.has(`${clean}-${n}`)) n++;
  return `${clean}-${n}`;
}
