import { validatePositiveInteger } from '../core/sizes.js';
import { OutputStreamStateError } from './errors.js';
import { resolveDelivery } from './options.js';
import type { Delivery, ResolvedOutputStreamOptions } from './options.js';
import { PullQueue } from './pull-queue.js';
import type { PullQueueHost, QueueTerminal } from './pull-queue.js';
import type { ReplayLog } from './replay-log.js';

/** Options of one pull consumer; unset fields take the stream's options. */
export interface PullOptions {
  readonly delivery?: Delivery;
  readonly bufferDepth?: number;
  /** `'skip'` (default): losses only show in `dropped`; `'marker'`: an {@link OutputGap} is yielded where they are. */
  readonly gaps?: 'skip' | 'marker';
}

/** @internal */
/** What the registry needs from its stream. @internal */
export interface PullRegistryInit {
  /** For messages: `stdout.chunks().bufferDepth`. */
  readonly name: string;
  /** The stream's defaults for consumers that do not choose. */
  readonly defaults: Pick<ResolvedOutputStreamOptions, 'delivery' | 'bufferDepth'>;
  /** What a new queue starts with. */
  readonly replay: ReplayLog;
  /** How the stream ended, once it has: a queue opened after the end gets the replay, then that end. */
  readonly terminal: () => QueueTerminal | undefined;
  /** The answer of {@link PullRegistry.holdsBack} may have changed. */
  readonly flowChanged: () => void;
}

/** @internal */
/**
 * The queues of the pull consumers (`chunks()`, `lines()`) of one stream: opens them with their own options, feeds
 * them, sums what the lossy ones drop, and tells the reader whether any of them wants the pipe held back.
 * @internal
 */
export class PullRegistry {
  private queues: readonly PullQueue[] = [];
  private lossyFromNowOn = false;
  private droppedChunkCount = 0;
  private droppedByteCount = 0;

  private readonly host: PullQueueHost = {
    flowChanged: () => this.init.flowChanged(),
    detach: (queue) => {
      this.queues = this.queues.filter((q) => q !== queue);
      this.init.flowChanged();
    },
    recordDrop: (bytes) => {
      this.droppedChunkCount++;
      this.droppedByteCount += bytes;
    },
  };

  constructor(private readonly init: PullRegistryInit) {}

  /** True while a reliable consumer is `bufferDepth` chunks behind: the reader should pause the pipe. */
  get holdsBack(): boolean {
    return this.queues.some((q) => q.blocking);
  }

  /** Chunks dropped for lossy consumers, summed over all of them. */
  get droppedChunks(): number {
    return this.droppedChunkCount;
  }

  get droppedBytes(): number {
    return this.droppedByteCount;
  }

  /**
   * Checks `options.gaps` for `chunks()` or `lines()`; true when gaps are to be yielded as markers.
   * @throws {@link OutputStreamStateError} for anything but `'skip'` or `'marker'`.
   */
  markGaps(options: PullOptions | undefined, method: string): boolean {
    const gaps = options?.gaps ?? 'skip';
    if (gaps !== 'skip' && gaps !== 'marker') {
      throw new OutputStreamStateError(`${this.init.name}.${method}(): gaps must be 'skip' or 'marker'`);
    }
    return gaps === 'marker';
  }

  /**
   * A queue for a new consumer, starting with the replay (and, after the end, ending right after it).
   * @throws {@link InvalidOptionError} for an invalid `delivery` or `bufferDepth`.
   */
  open(options: PullOptions | undefined, method: string): PullQueue {
    const path = `${this.init.name}.${method}()`;
    const { defaults } = this.init;
    const delivery =
      options?.delivery === undefined
        ? defaults.delivery
        : resolveDelivery(`${path}.delivery`, options.delivery);
    const depth =
      options?.bufferDepth === undefined
        ? defaults.bufferDepth
        : validatePositiveInteger(`${path}.bufferDepth`, options.bufferDepth);
    const queue = new PullQueue(this.host, depth, delivery);
    queue.preload(this.init.replay.snapshot());
    const terminal = this.init.terminal();
    if (terminal !== undefined) {
      queue.end(terminal);
      return queue;
    }
    if (this.lossyFromNowOn) queue.makeLossy();
    this.queues = [...this.queues, queue];
    this.init.flowChanged();
    return queue;
  }

  /** Feeds a live chunk to every queue. Runs no handler: a waiting pull resumes on a later microtask. */
  push(chunk: Buffer): void {
    const queues = this.queues;
    for (let i = 0; i < queues.length; i++) queues[i]!.push(chunk);
  }

  /**
   * For shutdown: every consumer, present and future, becomes lossy and counts its losses instead of holding the
   * pipe back. The reader is released separately.
   */
  makeLossy(): void {
    this.lossyFromNowOn = true;
    for (const queue of this.queues) queue.makeLossy();
  }

  /** Ends every queue; their consumers still get what is queued first. */
  end(terminal: QueueTerminal): void {
    const queues = this.queues;
    this.queues = [];
    for (const queue of queues) queue.end(terminal);
  }
}
