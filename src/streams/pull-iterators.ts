import { Deque } from '../core/deque.js';
import { LineParser } from '../core/line-parser.js';
import type { LineParserOptions } from '../core/line-parser.js';
import type { DropStats, OutputGap, PullQueue } from './pull-queue.js';

/**
 * A pull view of an output stream. `return()` (called by `break` in `for await`) detaches the consumer at once,
 * which also releases any backpressure it was applying.
 */
export interface OutputIterator<T> extends AsyncIterableIterator<T, undefined, undefined> {
  /** What this consumer has missed so far under lossy delivery. */
  readonly dropped: DropStats;
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorResult<T, undefined>>;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Serialises `next()` calls, so that concurrent callers are answered in call order like an async generator's.
 * @internal
 */
abstract class SerialIterator<T> implements OutputIterator<T> {
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  protected finished = false;

  constructor(protected readonly queue: PullQueue) {}

  get dropped(): DropStats {
    return this.queue.dropped;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    // Fast path: with no call in flight, an item that is already there is answered without chaining promises
    // (one resolved promise per item instead of several; most items of a busy stream are already there).
    if (this.inFlight === 0) {
      const ready = this.poll();
      if (ready !== undefined) return Promise.resolve(ready);
    }
    this.inFlight++;
    const result = this.tail.then(() => this.step());
    // The chain only orders calls; the caller handles `result` itself.
    this.tail = result.then(this.settled, this.settled);
    return result;
  }

  private readonly settled = (): void => {
    this.inFlight--;
  };

  return(): Promise<IteratorResult<T, undefined>> {
    this.finished = true;
    this.queue.cancel();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  protected abstract step(): Promise<IteratorResult<T, undefined>>;

  /** The queue's next item; a read error ends this iterator for good and is passed on. */
  protected async pullOrFinish(): Promise<IteratorResult<Buffer | OutputGap, undefined>> {
    try {
      return await this.queue.pull();
    } catch (error) {
      this.finished = true;
      throw error;
    }
  }

  /** The next result if it can be had synchronously, else `undefined` (then `step` runs). */
  protected abstract poll(): IteratorResult<T, undefined> | undefined;
}

/** @internal */
/** `chunks()`: yields chunks, and gap markers when asked to. @internal */
export class ChunkIterator<T extends Buffer | OutputGap> extends SerialIterator<T> {
  constructor(
    queue: PullQueue,
    private readonly markGaps: boolean,
  ) {
    super(queue);
  }

  protected poll(): IteratorResult<T, undefined> | undefined {
    while (!this.finished) {
      const result = this.queue.tryPull();
      if (result === undefined) return undefined;
      if (result.done === true) break;
      if (this.markGaps || Buffer.isBuffer(result.value)) return { done: false, value: result.value as T };
    }
    this.finished = true;
    return DONE;
  }

  protected async step(): Promise<IteratorResult<T, undefined>> {
    while (!this.finished) {
      const result = await this.pullOrFinish();
      if (result.done === true) break;
      if (this.markGaps || Buffer.isBuffer(result.value)) return { done: false, value: result.value as T };
    }
    this.finished = true;
    return DONE;
  }
}

/** @internal */
/**
 * `lines()`: its own parser over its own chunk queue, so a gap in this consumer resynchronises only this
 * consumer's lines (the partial line is dropped up to the next newline; halves are never joined).
 * @internal
 */
export class LineIterator<T extends string | OutputGap> extends SerialIterator<T> {
  private readonly parser: LineParser;
  private readonly ready = new Deque<string | OutputGap>();
  private readonly sink = (line: string): void => this.ready.push(line);

  constructor(
    queue: PullQueue,
    lineOptions: LineParserOptions,
    private readonly markGaps: boolean,
    startMidLine: boolean,
  ) {
    super(queue);
    this.parser = new LineParser(lineOptions);
    if (startMidLine) this.parser.onGap();
  }

  protected poll(): IteratorResult<T, undefined> | undefined {
    while (true) {
      const line = this.ready.shift();
      if (line !== undefined) return { done: false, value: line as T };
      if (this.finished) return DONE;
      const result = this.queue.tryPull();
      if (result === undefined) return undefined;
      this.absorb(result);
    }
  }

  protected async step(): Promise<IteratorResult<T, undefined>> {
    while (true) {
      const ready = this.poll();
      if (ready !== undefined) return ready;
      const result = await this.pullOrFinish();
      if (this.finished) return DONE;
      this.absorb(result);
    }
  }

  /** Parses a chunk into ready lines, or handles the end or a gap. */
  private absorb(result: IteratorResult<Buffer | OutputGap, undefined>): void {
    if (result.done === true) {
      this.parser.finish(this.sink);
      this.finished = true;
    } else if (Buffer.isBuffer(result.value)) {
      this.parser.write(result.value, this.sink);
    } else {
      this.parser.onGap();
      if (this.markGaps) this.ready.push(result.value);
    }
  }

  override return(): Promise<IteratorResult<T, undefined>> {
    this.ready.clear();
    return super.return();
  }
}
