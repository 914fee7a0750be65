import { Deque } from '../core/deque.js';
import type { Delivery } from './options.js';

/** Marks where a lossy pull consumer missed data because its queue was full. */
export interface OutputGap {
  readonly type: 'gap';
  /** Chunks dropped for this consumer since the previous item it received. */
  readonly droppedChunks: number;
  /** Bytes in those chunks. */
  readonly droppedBytes: number;
}

/** Cumulative loss of one pull consumer. Always zero under reliable delivery. */
export interface DropStats {
  readonly chunks: number;
  readonly bytes: number;
}

/** @internal */
/** How a stream ended, as its queues see it. */
export type QueueTerminal = { readonly kind: 'end' } | { readonly kind: 'error'; readonly error: unknown };

/** @internal */
/** What a queue reports back to the stream that feeds it. @internal */
export interface PullQueueHost {
  /** The queue may have started or stopped holding the source back. */
  flowChanged(): void;
  /** The consumer is gone; stop feeding this queue. */
  detach(queue: PullQueue): void;
  /** Adds dropped data to the stream-wide counters. */
  recordDrop(bytes: number): void;
}

interface Waiter {
  resolve(result: IteratorResult<Buffer | OutputGap, undefined>): void;
  reject(error: unknown): void;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/** @internal */
/**
 * The queue behind one pull consumer. Reliable queues report themselves `blocking` once `depth` chunks are
 * waiting, and the stream pauses its source while any queue blocks. Lossy queues never block: once full they drop
 * the newest chunks and put one {@link OutputGap} where the loss happened, so queued older data is kept.
 * @internal
 */
export class PullQueue {
  private readonly items = new Deque<Buffer | OutputGap>();
  private queuedChunks = 0;
  private gapChunks = 0;
  private gapBytes = 0;
  private totalDroppedChunks = 0;
  private totalDroppedBytes = 0;
  private terminal: QueueTerminal | undefined;
  private readonly waiters: Waiter[] = [];
  private lossy: boolean;
  private detached = false;
  /**
   * Whether the consumer has asked for anything yet. Until then the queue never holds the source back (an iterator
   * created and forgotten must not stall the child for good); it keeps up to `depth` chunks and drops the newest
   * beyond that, as a lossy queue does, counting them and marking the gap.
   */
  private pulled = false;

  constructor(
    private readonly host: PullQueueHost,
    private readonly depth: number,
    delivery: Delivery,
  ) {
    this.lossy = delivery === 'lossy';
  }

  /** True when this queue holds the source back: reliable, attached, not ended, and `depth` chunks behind. */
  get blocking(): boolean {
    return (
      this.pulled &&
      !this.lossy &&
      !this.detached &&
      this.terminal === undefined &&
      this.queuedChunks >= this.depth
    );
  }

  get dropped(): DropStats {
    return { chunks: this.totalDroppedChunks, bytes: this.totalDroppedBytes };
  }

  /** Replayed history: queued whatever the depth, so a late consumer always starts with it. */
  preload(chunks: readonly Buffer[]): void {
    for (const chunk of chunks) {
      this.items.push(chunk);
      this.queuedChunks++;
    }
  }

  push(chunk: Buffer): void {
    if (this.detached || this.terminal !== undefined) return;
    if (this.items.length === 0 && this.gapChunks === 0) {
      const waiter = this.waiters.shift();
      if (waiter !== undefined) {
        waiter.resolve({ done: false, value: chunk });
        return;
      }
    }
    if ((this.lossy || !this.pulled) && this.queuedChunks >= this.depth) {
      this.gapChunks++;
      this.gapBytes += chunk.length;
      this.totalDroppedChunks++;
      this.totalDroppedBytes += chunk.length;
      this.host.recordDrop(chunk.length);
      return;
    }
    this.flushGap();
    this.items.push(chunk);
    this.queuedChunks++;
  }

  end(terminal: QueueTerminal): void {
    if (this.detached || this.terminal !== undefined) return;
    this.terminal = terminal;
    this.flushGap();
    // Waiters exist only while nothing is queued, so they get the terminal at once.
    for (const waiter of this.waiters.splice(0)) {
      if (terminal.kind === 'end') waiter.resolve(DONE);
      else waiter.reject(terminal.error);
    }
  }

  /** From now on, never block: used when the stream releases backpressure for shutdown. */
  makeLossy(): void {
    this.lossy = true;
  }

  /** The next chunk or gap; resolves done at end of stream, rejects with the read error. */
  pull(): Promise<IteratorResult<Buffer | OutputGap, undefined>> {
    const ready = this.tryPull();
    if (ready !== undefined) return Promise.resolve(ready);
    const terminal = this.terminal;
    if (terminal !== undefined && terminal.kind === 'error') return Promise.reject(terminal.error);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * What {@link PullQueue.pull} would resolve with at once, without a promise; `undefined` when it would have to
   * wait or reject (a read error is left to `pull`).
   */
  tryPull(): IteratorResult<Buffer | OutputGap, undefined> | undefined {
    const firstPull = !this.pulled;
    this.pulled = true;
    const item = this.items.shift();
    if (item !== undefined) {
      const wasBlocking = this.queuedChunks >= this.depth;
      if (Buffer.isBuffer(item)) this.queuedChunks--;
      // The first pull can make a full queue start holding the source back, so the reader must look again.
      if (firstPull || (wasBlocking && this.queuedChunks < this.depth)) this.host.flowChanged();
      return { done: false, value: item };
    }
    if (this.gapChunks !== 0) return { done: false, value: this.takeGap() };
    if (this.detached || this.terminal?.kind === 'end') return DONE;
    return undefined;
  }

  /** The consumer stopped: drop everything, finish pending pulls, and let the source flow again. */
  cancel(): void {
    if (this.detached) return;
    this.detached = true;
    this.items.clear();
    this.queuedChunks = 0;
    this.gapChunks = 0;
    this.gapBytes = 0;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(DONE);
    this.host.detach(this);
  }

  private flushGap(): void {
    if (this.gapChunks !== 0) this.items.push(this.takeGap());
  }

  private takeGap(): OutputGap {
    const gap: OutputGap = { type: 'gap', droppedChunks: this.gapChunks, droppedBytes: this.gapBytes };
    this.gapChunks = 0;
    this.gapBytes = 0;
    return gap;
  }
}
