/** How `up` and `run` show what happens. */
export type UiMode = 'tui' | 'lines' | 'ndjson';

/** The values `--ui` accepts. */
export const UI_CHOICES = ['auto', 'tui', 'lines', 'ndjson'] as const;

/**
 * `auto` is the dashboard when stdout and stdin are terminals and this is not CI (a CI log wants lines, and many CI
 * systems fake a TTY); otherwise prefixed lines.
 */
export function resolveUiMode(
  requested: (typeof UI_CHOICES)[number],
  stdout: { readonly isTTY?: boolean },
  stdin: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv,
): UiMode {
  if (requested !== 'auto') return requested;
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  return stdout.isTTY === true && stdin.isTTY === true && !ci ? 'tui' : 'lines';
}
