import { Deque } from '../core/deque.js';
import type { ResolvedReplayPolicy } from './options.js';

const LF = 10;

/** @internal */
/**
 * The bytes kept for late subscribers, as a window over the stream. Both views replay from it: `chunks$` gets the
 * retained chunks as they are, `lines$` re-parses them. When the window does not start at a line start (a byte cap
 * cut a line), line consumers resynchronise at the first newline in the window instead of emitting a fragment.
 * @internal
 */
export class ReplayLog {
  private readonly chunks = new Deque<Buffer>();
  /** Absolute stream offsets of the `\n` bytes inside the window; kept for line retention only. */
  private readonly lineEnds = new Deque<number>();
  private windowStart = 0;
  private total = 0;
  /** Whether the oldest retained byte begins a line (true when nothing was ever trimmed). */
  private atLineStart = true;
  /** Whether the latest byte of the stream, retained or not, ends a line. */
  private liveAtLineStart = true;
  private isSealed = false;
  /** Every byte the stream has had, retained or not. */
  private seen = 0;

  constructor(private readonly policy: ResolvedReplayPolicy) {}

  /**
   * Whether a line consumer joining now starts inside a line, so it must skip to the next newline rather than show
   * a fragment: it starts at the retained window when something is retained, else at the live data.
   */
  get joinsMidLine(): boolean {
    const retaining = this.policy.kind !== 'none' && !this.isSealed;
    return retaining ? !this.atLineStart : !this.liveAtLineStart;
  }

  /** Every chunk of the stream goes through here, retained or not: it also tracks where live lines start. */
  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.seen += chunk.length;
    this.liveAtLineStart = chunk[chunk.length - 1] === LF;
    const policy = this.policy;
    if (policy.kind === 'none' || this.isSealed) return;
    const base = this.windowStart + this.total;
    this.chunks.push(chunk);
    this.total += chunk.length;
    if (policy.kind === 'lines') {
      for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.lineEnds.push(base + i);
      if (this.lineEnds.length > policy.maxLines) {
        let end = 0;
        while (this.lineEnds.length > policy.maxLines) end = this.lineEnds.shift()!;
        this.trimTo(end + 1);
      }
    }
    if (this.total > policy.maxBytes) this.trimTo(this.windowStart + this.total - policy.maxBytes);
  }

  /** Bytes the stream has had that are no longer retained: what a `chunks$` view joining now never sees. */
  get unretainedBytes(): number {
    return this.seen - this.total;
  }

  /**
   * What a `lines$` view joining now misses: the unretained bytes, plus the start of a cut line at the front of
   * the window, which the view skips up to its newline. (With nothing retained, the rest of a line in progress is
   * skipped from the live data too; that part cannot be known yet and is not counted.)
   */
  get bytesMissedByLines(): number {
    if (!this.joinsMidLine || this.total === 0) return this.unretainedBytes;
    let fragment = 0;
    for (const chunk of this.chunks.toArray()) {
      const newline = chunk.indexOf(LF);
      if (newline !== -1) return this.unretainedBytes + fragment + newline + 1;
      fragment += chunk.length;
    }
    return this.unretainedBytes + fragment;
  }

  /** The retained chunks, oldest first. The array is a copy; the buffers are shared and must not be mutated. */
  snapshot(): Buffer[] {
    return this.chunks.toArray();
  }

  /** Stops retaining, for good, and frees what was retained. Idempotent. */
  seal(): void {
    this.isSealed = true;
    this.chunks.clear();
    this.lineEnds.clear();
    this.total = 0;
  }

  private trimTo(absoluteStart: number): void {
    let drop = absoluteStart - this.windowStart;
    while (drop > 0) {
      const front = this.chunks.peek();
      if (front === undefined) break;
      if (front.length <= drop) {
        this.chunks.shift();
        drop -= front.length;
        this.total -= front.length;
        this.windowStart += front.length;
        this.atLineStart = front[front.length - 1] === LF;
      } else {
        this.chunks.replaceFirst(front.subarray(drop));
        this.total -= drop;
        this.windowStart += drop;
        this.atLineStart = front[drop - 1] === LF;
        drop = 0;
      }
    }
    while ((this.lineEnds.peek() ?? Infinity) < this.windowStart) this.lineEnds.shift();
  }
}
