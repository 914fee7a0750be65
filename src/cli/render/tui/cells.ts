/**
 * Rows as styled segments: widths are computed on plain text and colour is added after cutting, so an escape
 * sequence is never cut in half and never counted as width.
 */
import { styles as pc } from '../color.js';
import { displayWidth, fitWidth } from '../text.js';

/** A style from picocolors' palette, or a raw wrapper (e.g. a 256-colour foreground). */
export type Style = (text: string) => string;

/** A piece of a row: plain text and how to colour it. */
export interface Segment {
  readonly text: string;
  readonly style?: Style;
}

/**
 * `text` as a segment exactly `width` columns wide: cut with `…` or padded, the last column always a space so
 * neighbouring columns never touch.
 */
export function cell(text: string, width: number, style?: Style, align: 'left' | 'right' = 'left'): Segment {
  const inner = Math.max(0, width - 1);
  const fitted = fitWidth(text, inner);
  const pad = ' '.repeat(Math.max(0, inner - displayWidth(fitted)));
  return { text: (align === 'left' ? fitted + pad : pad + fitted) + ' ', ...(style ? { style } : {}) };
}

/**
 * Joins segments into one line of at most `width` columns, colouring each piece when `color` is on. When
 * `fill` is set the line is padded to the full width (so an inverse-video selection spans the row).
 */
export function joinSegments(
  segments: readonly Segment[],
  width: number,
  color: boolean,
  fill = false,
): string {
  let out = '';
  let used = 0;
  for (const seg of segments) {
    if (used >= width) break;
    let text = seg.text;
    let w = displayWidth(text);
    if (used + w > width) {
      text = fitWidth(text, width - used);
      w = displayWidth(text);
    }
    out += color && seg.style && text !== '' ? seg.style(text) : text;
    used += w;
  }
  if (fill && used < width) out += ' '.repeat(width - used);
  return out;
}

/** The picocolors function of a colour name, or identity. */
export function named(
  color: 'green' | 'yellow' | 'red' | 'dim' | 'cyan' | 'bold' | undefined,
): Style | undefined {
  return color === undefined ? undefined : pc[color];
}
