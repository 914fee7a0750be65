/**
 * Bounded log memory for the TUI: a ring buffer per service and one merged ring, so memory stays flat however
 * much the children print, and a frame reads only the lines it shows.
 */
import { sanitizeLine } from '../text.js';

/** One line in the log pane. `seq` grows by one per line across all services (it anchors a paused view). */
export interface LogEntry {
  readonly seq: number;
  readonly service: string;
  readonly kind: 'stdout' | 'stderr' | 'event';
  /** Already sanitized: no ANSI, no control characters. */
  readonly text: string;
}

/** A fixed-capacity FIFO: pushing into a full ring drops the oldest entry. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #start = 0;
  #length = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length < this.capacity) {
      this.#items[(this.#start + this.#length) % this.capacity] = item;
      this.#length++;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.capacity;
    }
  }

  /** The `index`-th oldest item (0 = oldest). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#length) return undefined;
    return this.#items[(this.#start + index) % this.capacity];
  }
}

/** Which lines a log pane shows: one service's, or all merged. */
export type LogScope = { readonly service: string } | 'all';

/** The read side of a {@link LogStore}, all a frame needs. */
export interface LogSource {
  /**
   * Up to `count` lines of `scope`, oldest first, ending at the line with sequence number `anchor` (or the
   * newest line when `anchor` is undefined: following).
   */
  window(scope: LogScope, count: number, anchor: number | undefined): readonly LogEntry[];
  /** The sequence number `delta` lines after (positive) or before (negative) `anchor` in `scope`. */
  move(scope: LogScope, anchor: number | undefined, delta: number): number | undefined;
  /** The newest sequence number, if any line was stored. */
  readonly latest: number | undefined;
}

/** Stores the last `capacity` lines of each service and of all merged. */
export class LogStore implements LogSource {
  readonly #perService = new Map<string, RingBuffer<LogEntry>>();
  readonly #all: RingBuffer<LogEntry>;
  #seq = 0;

  constructor(readonly capacity = 1000) {
    this.#all = new RingBuffer(capacity);
  }

  get latest(): number | undefined {
    return this.#seq === 0 ? undefined : this.#seq;
  }

  /** Stores one line (sanitized here, once, rather than at every frame). */
  add(service: string, kind: LogEntry['kind'], line: string): void {
    const entry: LogEntry = { seq: ++this.#seq, service, kind, text: sanitizeLine(line) };
    let ring = this.#perService.get(service);
    if (ring === undefined) {
      ring = new RingBuffer(this.capacity);
      this.#perService.set(service, ring);
    }
    ring.push(entry);
    this.#all.push(entry);
  }

  window(scope: LogScope, count: number, anchor: number | undefined): readonly LogEntry[] {
    const ring = this.#ring(scope);
    if (ring === undefined || count <= 0) return [];
    const end = anchor === undefined ? ring.length : lastAtOrBefore(ring, anchor) + 1;
    const out: LogEntry[] = [];
    for (let i = Math.max(0, end - count); i < end; i++) out.push(ring.at(i)!);
    return out;
  }

  move(scope: LogScope, anchor: number | undefined, delta: number): number | undefined {
    const ring = this.#ring(scope);
    if (ring === undefined || ring.length === 0) return anchor;
    const from = anchor === undefined ? ring.length - 1 : lastAtOrBefore(ring, anchor);
    const to = Math.min(ring.length - 1, Math.max(0, from + delta));
    return ring.at(to)!.seq;
  }

  #ring(scope: LogScope): RingBuffer<LogEntry> | undefined {
    return scope === 'all' ? this.#all : this.#perService.get(scope.service);
  }
}

/** Index of the last entry with `seq <= anchor` (-1 when none), by binary search: rings are sorted by seq. */
function lastAtOrBefore(ring: RingBuffer<LogEntry>, anchor: number): number {
  let lo = 0;
  let hi = ring.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ring.at(mid)!.seq <= anchor) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
