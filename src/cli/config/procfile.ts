/** Procfiles (`name: command` per line), as Heroku, foreman and overmind read them. */
import { basename, dirname } from 'node:path';
import type { ServiceConfig } from '../../index.js';
import { NAME_PATTERN } from './schema.js';
import type { ConfigProblem, ConfigResult } from './types.js';

/**
 * Parses a Procfile: one `name: command` per line, each command run by `/bin/sh -c` in the file's directory.
 * Blank lines and lines starting with `#` are ignored. Names end at the first `:`, so they cannot contain one. Bad lines, bad or repeated names and empty commands are
 * problems at their line and column.
 * @param file The Procfile's absolute path: its directory becomes the working directory.
 */
export function parseProcfile(text: string, file: string): ConfigResult {
  const dir = dirname(file);
  const services: Record<string, ServiceConfig> = {};
  const errors: ConfigProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const indent = raw.length - raw.trimStart().length;
    // As Heroku reads it: the name ends at the first ":" (so `web:npm start` works and names hold no ":").
    const match = /^([^\s:]+):[ \t]*/.exec(raw.slice(indent));
    if (!match) {
      errors.push({ file, line, col: indent + 1, path: '', message: 'expected "name: command"' });
      return;
    }
    const name = match[1]!;
    const command = raw.slice(indent + match[0].length).trim();
    const problem = (col: number, message: string) => errors.push({ file, line, col, path: name, message });
    if (!NAME_PATTERN.test(name)) {
      problem(indent + 1, 'expected a process name of letters, digits, "_", "-" or ":" (no dots or spaces)');
    } else if (name in services) {
      problem(indent + 1, `duplicate process name "${name}"`);
    } else if (command === '') {
      problem(indent + match[0].length + 1, 'expected a command after the name');
    } else {
      services[name] = { command, shell: true, cwd: dir };
    }
  });
  if (errors.length === 0 && Object.keys(services).length === 0) {
    errors.push({ file, line: 1, col: 1, path: '', message: 'expected at least one "name: command" line' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    project: {
      file,
      dir,
      name: basename(dir),
      config: { services },
      exitOnEnd: new Set(),
      source: 'procfile',
    },
  };
}
