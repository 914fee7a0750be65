import { basename } from 'node:path';

/** What an automatic process name may include besides the program. Everything is off by default. */
export interface NameParts {
  /** Include the arguments, each in double quotes. They may hold secrets such as tokens. */
  readonly args?: boolean;
  /** Include variables set explicitly through `env` (never the inherited environment). */
  readonly env?: boolean;
  /** Include the working directory, followed by ` % `. */
  readonly cwd?: boolean;
}

/** @internal */
/**
 * Builds the name used in events and errors. By default it is the program's basename only, so arguments and
 * environment (tokens, passwords) never leak into logs unless the caller opts in.
 */
export function autoName(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv | undefined,
  cwd: string | undefined,
  include: NameParts = {},
): string {
  const parts: string[] = [];
  if (include.cwd === true && cwd !== undefined) parts.push(`${cwd} %`);
  if (include.env === true && env !== undefined) {
    for (const [key, value] of Object.entries(env)) if (value !== undefined) parts.push(`${key}=${value}`);
  }
  parts.push(basename(command));
  if (include.args === true) for (const arg of args) parts.push(`"${arg}"`);
  return parts.join(' ');
}
