import { StringDecoder } from 'node:string_decoder';
import type { LineOptions } from './line-options.js';

/** Receives each parsed line. One callback per parser call, never one closure per line. */
export type LineSink = (line: string) => void;

/** Options of a {@link LineParser}; both are required so that callers pass validated values. */
export type LineParserOptions = LineOptions;

const CR = 13;

/**
 * A stateful, synchronous UTF-8 line splitter. It holds no reference to any stream and can be fed from anywhere.
 *
 * Semantics, which hold however the input is chunked:
 * - Lines end at `\n` only. One `\r` right before the `\n` is removed (CRLF); any other `\r`, including one before
 *   end of input, is ordinary content and is kept as-is.
 * - Bytes are decoded statefully, so a character split across chunks is decoded whole; invalid bytes become U+FFFD.
 * - Empty lines are emitted; a final `\n` does not create a trailing empty line; the unterminated last line is
 *   emitted by {@link LineParser.finish}.
 * - The length cap applies to the raw line (before the CRLF `\r` is removed), counted in UTF-16 code units. A cut
 *   that would fall between the halves of a surrogate pair moves one unit earlier (except with a cap of 1).
 *   `'truncate'` emits the first piece as soon as the line is known to be too long and drops the rest up to the
 *   next `\n`. `'split'` emits every piece; a final piece that is empty once the `\r` is removed is not emitted.
 * - {@link LineParser.onGap} drops the partial line and everything up to the next `\n`, so two halves of different
 *   lines are never joined.
 * - Pending text never exceeds `maxLineLength` between calls, whatever the input (a 64 MiB line without newline
 *   costs at most one cap of memory, plus the chunk being parsed).
 */
export class LineParser {
  private readonly max: number;
  private readonly split: boolean;
  private decoder = new StringDecoder('utf8');
  private pending = '';
  private discarding = false;
  /** Split mode: a full piece of the current line was emitted already. */
  private afterPiece = false;

  constructor(options: LineParserOptions) {
    this.max = options.maxLineLength;
    this.split = options.lineOverflow === 'split';
  }

  /** UTF-16 code units of the unterminated line held right now (always at most `maxLineLength`). */
  get pendingLength(): number {
    return this.pending.length;
  }

  /** True while the parser skips input up to the next `\n` (after a gap or a truncated line). */
  get isDiscarding(): boolean {
    return this.discarding;
  }

  /** Parses one chunk of bytes (decoded as UTF-8) or of already-decoded text, calling `sink` per completed line. */
  write(chunk: Uint8Array | string, sink: LineSink): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (text.length !== 0) this.consume(text, sink);
  }

  /**
   * Ends the input: flushes an incomplete character as U+FFFD and emits the unterminated last line, unless the
   * parser is discarding. The parser is then ready for a new input.
   */
  finish(sink: LineSink): void {
    const tail = this.decoder.end();
    if (tail.length !== 0) this.consume(tail, sink);
    if (!this.discarding && this.pending.length !== 0) sink(this.pending);
    this.reset();
  }

  /** Input was lost: forget the partial line and resynchronise at the next `\n`. */
  onGap(): void {
    this.decoder = new StringDecoder('utf8');
    this.pending = '';
    this.afterPiece = false;
    this.discarding = true;
  }

  /** Forgets all state, as if newly constructed. */
  reset(): void {
    this.decoder = new StringDecoder('utf8');
    this.pending = '';
    this.afterPiece = false;
    this.discarding = false;
  }

  private consume(text: string, sink: LineSink): void {
    let start = 0;
    let nl: number;
    if (this.discarding) {
      nl = text.indexOf('\n');
      if (nl === -1) return;
      this.discarding = false;
      start = nl + 1;
    } else if (this.pending.length !== 0 || this.afterPiece) {
      nl = text.indexOf('\n');
      if (nl === -1) {
        this.hold(this.pending + text, sink);
        return;
      }
      const line = this.pending + text.slice(0, nl);
      this.pending = '';
      this.endLine(line, sink);
      start = nl + 1;
    }
    // Hot loop: whole lines inside this text, nothing pending. One slice per line and nothing else.
    const max = this.max;
    nl = text.indexOf('\n', start);
    while (nl !== -1) {
      if (nl - start <= max) {
        sink(
          nl > start && text.charCodeAt(nl - 1) === CR ? text.slice(start, nl - 1) : text.slice(start, nl),
        );
      } else {
        this.endLine(text.slice(start, nl), sink);
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.hold(start === 0 ? text : text.slice(start), sink);
  }

  /** A complete raw line (without its `\n`), possibly continuing pieces already emitted. */
  private endLine(raw: string, sink: LineSink): void {
    let rest = raw;
    let continued = this.afterPiece;
    this.afterPiece = false;
    if (rest.length > this.max) {
      let cut = this.cutPoint(rest);
      sink(rest.slice(0, cut));
      if (!this.split) return;
      rest = rest.slice(cut);
      while (rest.length > this.max) {
        cut = this.cutPoint(rest);
        sink(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      continued = true;
    }
    const end = rest.length !== 0 && rest.charCodeAt(rest.length - 1) === CR ? rest.length - 1 : rest.length;
    if (end === 0 && continued) return;
    sink(end === rest.length ? rest : rest.slice(0, end));
  }

  /** Keeps an unterminated tail, emitting what the cap forces out so that at most `max` units stay pending. */
  private hold(tail: string, sink: LineSink): void {
    let p = tail;
    if (p.length > this.max) {
      if (!this.split) {
        sink(p.slice(0, this.cutPoint(p)));
        this.pending = '';
        this.discarding = true;
        return;
      }
      do {
        const cut = this.cutPoint(p);
        sink(p.slice(0, cut));
        p = p.slice(cut);
      } while (p.length > this.max);
      this.afterPiece = true;
    }
    this.pending = p;
  }

  private cutPoint(s: string): number {
    const max = this.max;
    const code = s.charCodeAt(max - 1);
    return max > 1 && code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  }
}
