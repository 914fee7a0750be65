/**
 * Where the line-oriented renderers write, and the batching that turns many lines per tick into one write.
 */

/** A stream-like sink: `write` returns `false` under backpressure, and `once('drain')` says when to go on. */
export interface WritableSink {
  write(text: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** A plain function (no backpressure) or a stream-like sink. */
export type TextSink = ((text: string) => unknown) | WritableSink;

/** Schedules a flush "later in this tick"; `setImmediate` by default, so every line read in one I/O poll joins. */
export type FlushScheduler = (flush: () => void) => void;

const defaultSchedule: FlushScheduler = (flush) => {
  setImmediate(flush);
};

/**
 * Collects complete lines and writes them as one string per tick. Under backpressure (a `false` from `write`) it
 * stops writing until `drain` and keeps collecting, so lines are never split or reordered; what accumulates
 * meanwhile is bounded by the caller (the CLI drops and counts lines beyond its bound).
 */
export class LineBatcher {
  /** Lines (each ending in `\n`) waiting for the next flush. Exposed so a renderer can amend the latest ones. */
  readonly pending: string[] = [];
  /** Grows at every write: an index into {@link pending} is valid only within the generation it was taken in. */
  generation = 0;
  #scheduled = false;
  #blocked = false;
  readonly #sink: TextSink;
  readonly #schedule: FlushScheduler;

  constructor(sink: TextSink, schedule: FlushScheduler = defaultSchedule) {
    this.#sink = sink;
    this.#schedule = schedule;
  }

  /** Queues one complete line (with its `\n`); returns its index in {@link pending} until the next flush. */
  push(line: string): number {
    this.pending.push(line);
    if (!this.#scheduled && !this.#blocked) {
      this.#scheduled = true;
      this.#schedule(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
    return this.pending.length - 1;
  }

  /** Writes everything pending now, in one write (unless the sink is waiting for `drain`). */
  flush(): void {
    if (this.#blocked || this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending.length = 0;
    this.generation++;
    const sink = this.#sink;
    if (typeof sink === 'function') {
      sink(text);
      return;
    }
    if (!sink.write(text)) {
      this.#blocked = true;
      sink.once('drain', () => {
        this.#blocked = false;
        this.flush();
      });
    }
  }
}
