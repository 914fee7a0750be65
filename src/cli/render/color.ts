/**
 * Colour decisions and the per-service prefix colour, shared by every output mode.
 */
import picocolors from 'picocolors';

/**
 * Always-on styles: whether to colour is decided per sink by the caller (`color` options), not by picocolors'
 * own guess about `process.stdout`, which would turn colours off when stdout is not the sink (or not a TTY).
 */
export const styles = picocolors.createColors(true);

/** The part of a stream the colour decision needs. */
export interface ColorTarget {
  readonly isTTY?: boolean;
}

/**
 * Whether to colour what goes to `stream`: `NO_COLOR` (any non-empty value) disables, `FORCE_COLOR` enables
 * unless it is `0` or `false` (which disable), otherwise only a TTY gets colour.
 */
export function colorEnabled(stream: ColorTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}

// Readable on both dark and light backgrounds; no pure red (it marks stderr) and no greys (they mark lifecycle).
const palette = [
  33, 39, 45, 69, 75, 81, 105, 111, 141, 147, 171, 177, 207, 213, 167, 173, 179, 185, 149, 113, 77, 43, 214,
  208,
] as const;

/** A stable 256-colour index for a service name (FNV-1a hash into a fixed palette), so `api` is always the same. */
export function serviceColor(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return palette[(hash >>> 0) % palette.length]!;
}

/** Wraps `text` in a 256-colour foreground SGR (closed with the default-foreground code, not a full reset). */
export function paint256(text: string, color: number): string {
  return `\x1b[38;5;${color}m${text}\x1b[39m`;
}
