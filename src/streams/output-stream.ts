import { AsyncSubject, asyncScheduler, firstValueFrom, Observable } from 'rxjs';
import type { SchedulerLike, Subscriber } from 'rxjs';
import type { Readable, Writable } from 'node:stream';
import { validatePositiveInteger } from '../core/sizes.js';
import { collectBytes } from '../operators/collect-bytes.js';
import type { CollectBytesOptions, CollectedBytes } from '../operators/collect-bytes.js';
import { collectLines } from '../operators/collect-lines.js';
import type { CollectedLines, CollectLinesOptions } from '../operators/collect-lines.js';
import { waitForLine } from '../operators/wait-for-line.js';
import type { LineMatcher, WaitForLineOptions, WaitForLineResult } from '../operators/wait-for-line.js';
import type { WriteToResult } from '../operators/write-to.js';
import { OutputChunkTypeError, OutputPrematureCloseError, OutputStreamStateError } from './errors.js';
import { LineParser } from '../core/line-parser.js';
import type { LineParserOptions } from '../core/line-parser.js';
import { resolveDelivery, resolveOutputStreamOptions } from './options.js';
import type { Delivery, OutputStreamOptions, ResolvedOutputStreamOptions } from './options.js';
import { ChunkIterator, LineIterator } from './pull-iterators.js';
import type { OutputIterator } from './pull-iterators.js';
import { PullQueue } from './pull-queue.js';
import type { OutputGap, PullQueueHost, QueueTerminal } from './pull-queue.js';
import { pumpToSink } from './pump.js';
import { ReplayLog } from './replay-log.js';

const LF = 10;

/** Counters of one stream. `linesEmitted` counts lines of `lines$`, which parses only while it has subscribers. */
export interface OutputStats {
  readonly bytesRead: number;
  readonly chunksRead: number;
  readonly linesEmitted: number;
  /** Chunks dropped for lossy pull consumers, summed over all of them. */
  readonly droppedChunks: number;
  readonly droppedBytes: number;
}

/**
 * How an output stream ended. `forced` is true only when {@link OutputStream.forceClose} ended it (typically a
 * grandchild kept the pipe open after the child exited). A read error is reported here, never thrown.
 */
export type OutputClosed =
  | { readonly type: 'ended'; readonly forced: false; readonly stats: OutputStats }
  | { readonly type: 'errored'; readonly forced: false; readonly error: unknown; readonly stats: OutputStats }
  | { readonly type: 'forced'; readonly forced: true; readonly reason: string; readonly stats: OutputStats };

/** Options of one pull consumer; unset fields take the stream's options. */
export interface PullOptions {
  readonly delivery?: Delivery;
  readonly bufferDepth?: number;
  /** `'skip'` (default): losses only show in `dropped`; `'marker'`: an {@link OutputGap} is yielded where they are. */
  readonly gaps?: 'skip' | 'marker';
}

/** Construction details that are not stream options. */
export interface OutputStreamInit {
  /** Used in option errors and messages, such as `stdout`. Default `output`. */
  readonly name?: string;
  /** Default scheduler of `waitForLine` timeouts. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

type Terminal = { readonly closed: OutputClosed; readonly queue: QueueTerminal };

/**
 * One output pipe of a child (stdout or stderr), as hot push views, pull iterators and consumers.
 *
 * - Once {@link OutputStream.attach attached}, the readable is always drained, with or without subscribers, except
 *   while a reliable pull consumer is `bufferDepth` chunks behind (then it is paused, and the child blocks on write).
 * - Every view starts with the retained replay, then live data, with neither gap nor duplicate at the seam: the
 *   replay snapshot and the registration happen in one synchronous step. After the end, a view gets the replay and
 *   then completes (or errors, after a read error).
 * - Chunks are never larger than `chunkSize`. Lines are parsed once per stream for `lines$`, only while `lines$`
 *   has subscribers; each pull `lines()` consumer parses its own queue, so its gaps stay its own.
 * - With `mode: 'discard'` or `'inherit'` the stream is empty and already ended; it cannot be attached.
 */
export class OutputStream {
  /** The validated options. */
  readonly options: ResolvedOutputStreamOptions;
  readonly name: string;
  /** Hot byte chunks: replay, then live chunks; completes at end, errors on a read error. */
  readonly chunks$: Observable<Buffer>;
  /** Hot lines: replayed lines, then live ones; the unterminated last line is emitted at end (not on error). */
  readonly lines$: Observable<string>;
  /** Resolves (never rejects) once the stream ended, failed or was force-closed. */
  readonly closed: Promise<OutputClosed>;
  /** Emits the {@link OutputClosed} once, then completes; late subscribers get it too. */
  readonly closed$: Observable<OutputClosed>;

  private readonly scheduler: SchedulerLike;
  private readonly lineOptions: LineParserOptions;
  private readonly replay: ReplayLog;
  private readonly closedSubject = new AsyncSubject<OutputClosed>();
  private readable: Readable | undefined;
  private terminal: Terminal | undefined;
  private chunkTargets: readonly Subscriber<Buffer>[] = [];
  private lineTargets: readonly Subscriber<string>[] = [];
  private emitTargets: readonly Subscriber<string>[] = [];
  private liveParser: LineParser | undefined;
  private pullQueues: readonly PullQueue[] = [];
  private atLineBoundary = true;
  private paused = false;
  private released = false;
  private bytesRead = 0;
  private chunksRead = 0;
  private linesEmitted = 0;
  private droppedChunks = 0;
  private droppedBytes = 0;

  private readonly host: PullQueueHost = {
    flowChanged: () => this.updateFlow(),
    detach: (queue) => {
      this.pullQueues = this.pullQueues.filter((q) => q !== queue);
      this.updateFlow();
    },
    recordDrop: (bytes) => {
      this.droppedChunks++;
      this.droppedBytes += bytes;
    },
  };

  /** Fans a parsed line out to the `lines$` subscribers of the chunk being published. */
  private readonly emitLine = (line: string): void => {
    this.linesEmitted++;
    const targets = this.emitTargets;
    if (targets.length === 1) targets[0]!.next(line);
    else for (let i = 0; i < targets.length; i++) targets[i]!.next(line);
  };

  /**
   * @throws {@link InvalidOptionError} when an option is invalid, before anything is spawned.
   */
  constructor(options?: OutputStreamOptions, init?: OutputStreamInit) {
    this.name = init?.name ?? 'output';
    this.options = resolveOutputStreamOptions(options, this.name);
    this.scheduler = init?.scheduler ?? asyncScheduler;
    this.lineOptions = { maxLineLength: this.options.maxLineLength, lineOverflow: this.options.lineOverflow };
    this.replay = new ReplayLog(this.options.replay);
    this.closed = firstValueFrom(this.closedSubject);
    this.closed$ = this.closedSubject.asObservable();
    this.chunks$ = new Observable<Buffer>((subscriber) => this.subscribeChunks(subscriber));
    this.lines$ = new Observable<string>((subscriber) => this.subscribeLines(subscriber));
    if (this.options.mode !== 'pipe') this.close({ kind: 'end' }, undefined);
  }

  /**
   * Starts reading `readable` (a byte stream; text chunks are re-encoded as UTF-8). Call once.
   * @throws {@link OutputStreamStateError} when already attached, closed, or not in `'pipe'` mode.
   */
  attach(readable: Readable): this {
    if (this.options.mode !== 'pipe') {
      throw new OutputStreamStateError(
        `${this.name} is in '${this.options.mode}' mode and has no pipe to attach`,
      );
    }
    if (this.readable !== undefined || this.terminal !== undefined) {
      throw new OutputStreamStateError(`${this.name} is already attached or closed`);
    }
    this.readable = readable;
    // The error listener stays for good: a late error on a destroyed pipe must never become an uncaught exception.
    readable.on('error', this.onError);
    if (readable.readableEnded) {
      this.close({ kind: 'end' }, undefined);
      return this;
    }
    if (readable.destroyed) {
      this.close(
        {
          kind: 'error',
          error:
            readable.errored ??
            new OutputPrematureCloseError(`${this.name} was destroyed before it was attached`),
        },
        undefined,
      );
      return this;
    }
    readable.on('end', this.onEnd);
    readable.on('close', this.onClose);
    readable.on('data', this.onData);
    readable.resume();
    return this;
  }

  /** A snapshot of the counters. */
  get stats(): OutputStats {
    return {
      bytesRead: this.bytesRead,
      chunksRead: this.chunksRead,
      linesEmitted: this.linesEmitted,
      droppedChunks: this.droppedChunks,
      droppedBytes: this.droppedBytes,
    };
  }

  /**
   * Stops retaining output and frees the replay, for good (idempotent). Subscribers already attached keep what they
   * received; later ones start with live data (line views resynchronise at the next newline).
   */
  sealReplay(): void {
    this.replay.seal();
  }

  /**
   * Ends every view now, as if the stream ended, and destroys the readable. `closed` reports `{ forced: true }`.
   * Used after the child exited while a grandchild still holds the pipe. No-op once closed.
   */
  forceClose(reason = 'force-closed'): void {
    if (this.terminal !== undefined) return;
    this.close({ kind: 'end' }, reason);
    this.readable?.destroy();
  }

  /**
   * Stops honouring backpressure, for good: the source flows again and reliable pull consumers become lossy (their
   * losses are counted). For shutdown, so a child blocked writing to a full pipe can run its exit path.
   */
  releaseBackpressure(): void {
    this.released = true;
    for (const queue of this.pullQueues) queue.makeLossy();
    this.updateFlow();
  }

  /** Pull chunks, starting with the replay. See {@link PullOptions}. */
  chunks(options?: PullOptions & { readonly gaps?: 'skip' }): OutputIterator<Buffer>;
  chunks(options: PullOptions & { readonly gaps: 'marker' }): OutputIterator<Buffer | OutputGap>;
  chunks(options?: PullOptions): OutputIterator<Buffer | OutputGap> {
    const markGaps = this.resolveGaps(options, 'chunks');
    return new ChunkIterator(this.openQueue(options, 'chunks'), markGaps);
  }

  /** Pull lines, starting with the replayed ones. A lossy gap resynchronises at the next newline. */
  lines(options?: PullOptions & { readonly gaps?: 'skip' }): OutputIterator<string>;
  lines(options: PullOptions & { readonly gaps: 'marker' }): OutputIterator<string | OutputGap>;
  lines(options?: PullOptions): OutputIterator<string | OutputGap> {
    const markGaps = this.resolveGaps(options, 'lines');
    return new LineIterator(this.openQueue(options, 'lines'), this.lineOptions, markGaps, this.startsMidLine);
  }

  /** Collects `lines$` (replay included) until the end. Rejects with the read error if reading fails. */
  collectLines(options?: CollectLinesOptions): Promise<CollectedLines> {
    return firstValueFrom(this.lines$.pipe(collectLines(options)));
  }

  /** Collects `chunks$` (replay included) until the end. Rejects with the read error if reading fails. */
  collectBytes(options?: CollectBytesOptions): Promise<CollectedBytes> {
    return firstValueFrom(this.chunks$.pipe(collectBytes(options)));
  }

  /**
   * Resolves with the first matching line (replay included: the wait starts when this is called), `closed`, or
   * `timedOut`. Rejects with the read error, or with `signal.reason` when aborted.
   * @throws {@link InvalidOptionError} synchronously for invalid options.
   */
  waitForLine(matcher: LineMatcher, options: WaitForLineOptions): Promise<WaitForLineResult> {
    const operator = waitForLine(matcher, { scheduler: this.scheduler, ...options });
    return firstValueFrom(this.lines$.pipe(operator));
  }

  /**
   * Pipes chunks (replay included) into `sink` through a reliable pull consumer: a slow sink pauses the child, so
   * nothing is lost and memory stays bounded. Resolves after the end of the output once the sink has flushed (or
   * finished, with `end: true`); rejects with {@link SinkWriteError} when the sink fails.
   */
  writeTo(sink: Writable, options?: { readonly end?: boolean }): Promise<WriteToResult> {
    return pumpToSink(this.chunks({ delivery: 'reliable' }), sink, options?.end ?? false);
  }

  private subscribeChunks(subscriber: Subscriber<Buffer>): (() => void) | undefined {
    const snapshot = this.replay.snapshot();
    for (let i = 0; i < snapshot.length && !subscriber.closed; i++) subscriber.next(snapshot[i]!);
    if (this.deliverTerminal(subscriber)) return undefined;
    this.chunkTargets = [...this.chunkTargets, subscriber];
    return () => {
      this.chunkTargets = this.chunkTargets.filter((s) => s !== subscriber);
    };
  }

  private subscribeLines(subscriber: Subscriber<string>): (() => void) | undefined {
    const parser = new LineParser(this.lineOptions);
    if (this.startsMidLine) parser.onGap();
    const sink = (line: string): void => subscriber.next(line);
    for (const chunk of this.replay.snapshot()) {
      if (subscriber.closed) return undefined;
      parser.write(chunk, sink);
    }
    if (this.terminal !== undefined && this.terminal.queue.kind === 'end') parser.finish(sink);
    if (this.deliverTerminal(subscriber)) return undefined;
    // The replay parser is in exactly the state a live parser would be in after the retained bytes.
    this.liveParser ??= parser;
    this.lineTargets = [...this.lineTargets, subscriber];
    return () => {
      this.lineTargets = this.lineTargets.filter((s) => s !== subscriber);
      if (this.lineTargets.length === 0) this.liveParser = undefined;
    };
  }

  /**
   * Whether a new line consumer starts inside a line (the retained window, or live data without replay, begins
   * after a line's start), so it must skip to the next newline rather than show a fragment.
   */
  private get startsMidLine(): boolean {
    return this.replay.enabled ? !this.replay.startsAtLineBoundary : !this.atLineBoundary;
  }

  /** Completes or errors a late subscriber; true when the stream had ended (or the subscriber left). */
  private deliverTerminal(subscriber: Subscriber<unknown>): boolean {
    if (subscriber.closed) return true;
    const terminal = this.terminal;
    if (terminal === undefined) return false;
    if (terminal.queue.kind === 'error') subscriber.error(terminal.queue.error);
    else subscriber.complete();
    return true;
  }

  private openQueue(options: PullOptions | undefined, method: string): PullQueue {
    const path = `${this.name}.${method}()`;
    const delivery =
      options?.delivery === undefined
        ? this.options.delivery
        : resolveDelivery(`${path}.delivery`, options.delivery);
    const depth =
      options?.bufferDepth === undefined
        ? this.options.bufferDepth
        : validatePositiveInteger(`${path}.bufferDepth`, options.bufferDepth);
    const queue = new PullQueue(this.host, depth, delivery);
    queue.preload(this.replay.snapshot());
    if (this.terminal !== undefined) {
      queue.end(this.terminal.queue);
      return queue;
    }
    if (this.released) queue.makeLossy();
    this.pullQueues = [...this.pullQueues, queue];
    this.updateFlow();
    return queue;
  }

  private resolveGaps(options: PullOptions | undefined, method: string): boolean {
    const gaps = options?.gaps ?? 'skip';
    if (gaps !== 'skip' && gaps !== 'marker') {
      throw new OutputStreamStateError(`${this.name}.${method}(): gaps must be 'skip' or 'marker'`);
    }
    return gaps === 'marker';
  }

  private readonly onData = (data: unknown): void => {
    if (this.terminal !== undefined) return;
    let chunk: Buffer;
    if (Buffer.isBuffer(data)) chunk = data;
    else if (typeof data === 'string') chunk = Buffer.from(data, 'utf8');
    else if (data instanceof Uint8Array) chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    else {
      this.fail(
        new OutputChunkTypeError(
          `${this.name} produced a non-byte chunk; object-mode streams are not supported`,
        ),
      );
      return;
    }
    const size = this.options.chunkSize;
    if (chunk.length <= size) this.publish(chunk);
    else
      for (let at = 0; at < chunk.length && this.terminal === undefined; at += size)
        this.publish(chunk.subarray(at, at + size));
    this.updateFlow();
  };

  private publish(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.bytesRead += chunk.length;
    this.chunksRead++;
    this.atLineBoundary = chunk[chunk.length - 1] === LF;
    this.replay.append(chunk);
    // The pull queues first: pushing runs no handler (a waiting pull resumes on a later microtask), so a consumer
    // opened from a push handler below, which got this chunk through the replay, cannot get it a second time.
    const queues = this.pullQueues;
    for (let i = 0; i < queues.length; i++) queues[i]!.push(chunk);
    // Captured before dispatch: anyone subscribing from inside a handler got this chunk through the replay.
    const parser = this.liveParser;
    const lineTargets = this.lineTargets;
    const chunkTargets = this.chunkTargets;
    for (let i = 0; i < chunkTargets.length; i++) chunkTargets[i]!.next(chunk);
    if (parser !== undefined) {
      const previous = this.emitTargets;
      this.emitTargets = lineTargets;
      parser.write(chunk, this.emitLine);
      this.emitTargets = previous;
    }
  }

  private readonly onEnd = (): void => this.close({ kind: 'end' }, undefined);

  private readonly onError = (error: unknown): void => this.fail(error);

  private readonly onClose = (): void => {
    this.fail(new OutputPrematureCloseError(`${this.name} closed before its end`));
  };

  private fail(error: unknown): void {
    if (this.terminal === undefined) this.close({ kind: 'error', error }, undefined);
  }

  /** Records the terminal first (so anyone subscribing from a handler sees it), then ends every view. */
  private close(queueTerminal: QueueTerminal, forcedReason: string | undefined): void {
    if (this.terminal !== undefined) return;
    const parser = this.liveParser;
    const lineTargets = this.lineTargets;
    if (parser !== undefined && queueTerminal.kind === 'end') {
      this.emitTargets = lineTargets;
      parser.finish(this.emitLine);
      this.emitTargets = [];
    }
    const stats = this.stats;
    const closed: OutputClosed =
      forcedReason !== undefined
        ? { type: 'forced', forced: true, reason: forcedReason, stats }
        : queueTerminal.kind === 'error'
          ? { type: 'errored', forced: false, error: queueTerminal.error, stats }
          : { type: 'ended', forced: false, stats };
    this.terminal = { closed, queue: queueTerminal };
    this.liveParser = undefined;
    const readable = this.readable;
    if (readable !== undefined) {
      readable.off('data', this.onData);
      readable.off('end', this.onEnd);
      readable.off('close', this.onClose);
    }
    const chunkTargets = this.chunkTargets;
    const queues = this.pullQueues;
    this.chunkTargets = [];
    this.lineTargets = [];
    this.pullQueues = [];
    for (const target of [...chunkTargets, ...lineTargets]) {
      if (queueTerminal.kind === 'error') target.error(queueTerminal.error);
      else target.complete();
    }
    for (const queue of queues) queue.end(queueTerminal);
    this.closedSubject.next(closed);
    this.closedSubject.complete();
  }

  private updateFlow(): void {
    const readable = this.readable;
    if (readable === undefined || this.terminal !== undefined) return;
    const hold = !this.released && this.pullQueues.some((q) => q.blocking);
    if (hold && !this.paused) {
      this.paused = true;
      readable.pause();
    } else if (!hold && this.paused) {
      this.paused = false;
      readable.resume();
    }
  }
}
