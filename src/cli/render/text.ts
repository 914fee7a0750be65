/**
 * Display-width helpers: cutting text to a number of terminal columns, and cleaning child output for the TUI.
 */
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

const printableAscii = /^[\x20-\x7e]*$/;
/**
 * Characters that are each one column wide and never combine (checked against string-width for every code point
 * in these ranges): ASCII, Latin-1 (minus the soft hyphen) to spacing modifiers, punctuation, arrows, math, box
 * drawing and geometric shapes (minus the two emoji squares at the end). Text made only of them is as wide as it
 * is long: the TUI's glyphs, bars and separators are measured without string-width, which is slow.
 */
const narrow = /^[\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u22ff\u2500-\u25fc]*$/;
const segmenter = new Intl.Segmenter();

/** The number of terminal columns `text` takes (a fast path for narrow text, string-width for the rest). */
export function displayWidth(text: string): number {
  return narrow.test(text) ? text.length : stringWidth(text);
}

/**
 * `text` cut to at most `width` columns, ending in `…` when cut. Plain text only (no ANSI). Wide characters
 * (CJK, emoji) count as two columns and are never split.
 */
export function fitWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (narrow.test(text)) return text.length <= width ? text : text.slice(0, width - 1) + '…';
  // No UTF-16 unit is wider than two columns: short enough text needs no measuring.
  if (text.length * 2 <= width || displayWidth(text) <= width) return text;
  let used = 0;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    used += w;
    out += segment;
  }
  return out + '…';
}

// C0 controls except TAB (handled first), and DEL, and C1 controls.
// eslint-disable-next-line no-control-regex
const controls = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/**
 * A child's line made safe to place in a screen cell: ANSI sequences removed, only the text after the last `\r`
 * kept (a progress bar's final state), tabs as spaces, other control characters dropped, so that nothing in it
 * can move the cursor or change modes.
 */
export function sanitizeLine(line: string): string {
  if (printableAscii.test(line)) return line;
  let text = line.includes('\x1b') || line.includes('\x9b') ? stripAnsi(line) : line;
  if (text.includes('\r')) {
    const parts = text.split('\r').filter((p) => p !== '');
    text = parts[parts.length - 1] ?? '';
  }
  return text.replaceAll('\t', '    ').replace(controls, '');
}
